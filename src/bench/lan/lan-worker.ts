/**
 * A LAN bench worker process: it hosts a slice of the peers, each a real LanChat with its own socket in
 * the group (loopback, TTL 0), sends its share of the lines, and records what its peers receive: each
 * line carries its send time, so a receiver measures its one-way latency. Timestamps are
 * performance.timeOrigin + performance.now(), comparable across processes on one machine.
 */
import { performance } from 'node:perf_hooks';
import { LanChat } from '../../lan-host/lan-chat.ts';
import { LatencyHistogram } from '../model/histogram.ts';
import type { LanWorkerReply, LanWorkerRequest, LanWorkerResult, LanWorkerSetup } from './lan-messages.ts';

const LOOPBACK = '127.0.0.1';

interface Tally {
  sent: number;
  refused: number;
  received: number;
}

let peers: LanChat[] = [];
const histogram = new LatencyHistogram();
const tally: Tally = { sent: 0, refused: 0, received: 0 };
let cpuAtStart: NodeJS.CpuUsage | null = null;
let sendStartedAt = 0;

function nowUs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1_000);
}

async function setup(config: LanWorkerSetup): Promise<void> {
  const group = { host: config.groupHost, port: config.groupPort };
  for (let index = 0; index < config.count; index++) {
    const chat = await LanChat.open({
      nick: `p${config.first + index}`,
      group,
      interfaceAddress: LOOPBACK,
      ttl: 0,
      passphrase: null,
    });
    chat.on('line', (event) => {
      const sentUs = Number(event.text.split(' ')[1]);
      if (!Number.isFinite(sentUs)) return;
      tally.received++;
      histogram.record(Math.max(0, nowUs() - sentUs));
    });
    peers.push(chat);
  }
}

async function awaitPresence(expected: number, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  const fewest = (): number => Math.min(...peers.map((peer) => peer.who().length));
  while (fewest() < expected && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  return fewest();
}

/**
 * Each peer sends `perSecond` lines a second for `durationMs`, each at its own phase (so a worker's lines
 * do not leave in one burst); one timer, set for the next line due, so pacing costs one wake-up per line.
 */
function send(perSecond: number, durationMs: number): Promise<void> {
  cpuAtStart = process.cpuUsage();
  const start = performance.now();
  sendStartedAt = start;
  const intervalMs = 1_000 / perSecond;
  const nextAt = peers.map((_, index) => start + (index / peers.length) * intervalMs);
  const end = start + durationMs;
  return new Promise((resolve) => {
    const step = (): void => {
      const now = performance.now();
      peers.forEach((peer, index) => {
        for (let at = nextAt[index] ?? end; at <= now && at < end; at += intervalMs) {
          if (peer.say(`b ${nowUs()}`) === null) tally.sent++;
          else tally.refused++;
          nextAt[index] = at + intervalMs;
        }
      });
      const due = Math.min(...nextAt);
      if (due >= end) resolve();
      else setTimeout(step, Math.max(0, due - performance.now()));
    };
    step();
  });
}

function collect(): LanWorkerResult {
  const cpu = process.cpuUsage(cpuAtStart ?? undefined);
  const sum = (pick: (chat: LanChat) => number): number =>
    peers.reduce((total, chat) => total + pick(chat), 0);
  return {
    ...tally,
    lost: sum((chat) => chat.stats.linesLost),
    duplicates: sum((chat) => chat.stats.duplicates),
    throttled: sum((chat) => chat.stats.throttledSender + chat.stats.throttledTotal),
    latency: histogram.toSparse(),
    latencyMax: histogram.max,
    cpuUs: cpu.user + cpu.system,
    elapsedMs: performance.now() - sendStartedAt,
  };
}

async function handle(request: LanWorkerRequest): Promise<LanWorkerReply> {
  switch (request.type) {
    case 'setup':
      await setup(request.setup);
      return { type: 'ok' };
    case 'await-presence':
      return { type: 'present', heard: await awaitPresence(request.peers, request.timeoutMs) };
    case 'idle': {
      const before = process.cpuUsage();
      const start = performance.now();
      await new Promise((resolve) => setTimeout(resolve, request.durationMs));
      const cpu = process.cpuUsage(before);
      return { type: 'idle', cpuUs: cpu.user + cpu.system, elapsedMs: performance.now() - start };
    }
    case 'send':
      await send(request.linesPerPeerPerSecond, request.durationMs);
      return { type: 'ok' };
    case 'collect':
      return { type: 'result', result: collect() };
  }
}

process.on('message', (message: LanWorkerRequest & { readonly id: number }) => {
  handle(message).then(
    (reply) => process.send?.({ ...reply, id: message.id }),
    (error: unknown) => process.send?.({ type: 'error', message: String(error), id: message.id }),
  );
});

// The coordinator closing the channel is the signal to leave.
process.on('disconnect', () => {
  const closing = peers;
  peers = [];
  void Promise.all(closing.map((chat) => chat.close())).then(() => process.exit(0));
});
