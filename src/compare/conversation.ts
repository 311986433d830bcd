/**
 * One transport's run of the comparison: the scripted conversation (every client sends its lines at a
 * steady rate, every other client should receive each one), then idle clients for the relay's memory per
 * client, then a dead peer (a client that vanishes without /leave, and in a namespace one whose packets
 * all stop) and how long the others wait to hear of it. Every client is the library's ChatClient over the
 * transport's link, so the protocol code is the same on all four.
 */
import { performance } from 'node:perf_hooks';
import { readCpuMs, readMemory } from '../bench/model/proc-stats.ts';
import { ChatClient, type ChatClientOptions } from '../client-host/chat-client.ts';
import { tcpTransport } from '../transport/tcp-link.ts';
import { wsTransport } from '../transport/ws-link.ts';
import { type CompareSettings, type CompareTransport, pingIntervalFor } from './settings.ts';
import { type DeliveryFigures, DeliveryTally } from './tally.ts';

/** Where each transport's clients connect: the relay's ports, or the chaos proxies' in front of them. */
export interface TransportPorts {
  readonly udp: number;
  readonly tcp: number;
  readonly web: number;
}

export interface TransportResult {
  readonly transport: CompareTransport;
  readonly figures: DeliveryFigures;
  readonly memoryKiBPerClient: number | null;
  readonly cpuUsPerDelivery: number | null;
  /** Until the others heard that a client which vanished (closed, no /leave) was gone. */
  readonly vanishedNoticeMs: number | null;
  /** The same for a client cut off (every packet dropped), where the fault model can cut one. */
  readonly cutNoticeMs: number | null;
}

/** Cuts one client's traffic off (netns: iptables rules on its port); returns the undo. */
export type CutOff = (transport: CompareTransport, localPort: number) => Promise<() => Promise<void>>;

/** Lines still missing this long after the last one was sent are counted as lost. */
const SETTLE_MS = 10_000;
const JOIN_TIMEOUT_MS = 15_000;

export async function runTransport(
  transport: CompareTransport,
  settings: CompareSettings,
  ports: TransportPorts,
  relayPid: number,
  cutOff: CutOff | null,
): Promise<TransportResult> {
  const options = (nick: string): ChatClientOptions => clientOptions(transport, nick, ports, settings);
  const clients = await joinAll(settings.clients, (i) => options(`c${i}`));
  try {
    const { figures, cpuUsPerDelivery } = await converse(clients, settings, relayPid);
    const memoryKiBPerClient = await idleMemory(settings.idleClients, relayPid, (i) => options(`idle${i}`));
    const observer = clients[0] as ChatClient;
    const vanishedNoticeMs = await deadPeer(observer, options('ghost'), settings, async (ghost) => {
      await ghost.close();
      return async () => {};
    });
    const cutNoticeMs =
      cutOff === null
        ? null
        : await deadPeer(observer, options('cut'), settings, (ghost) => cutOff(transport, ghost.local.port));
    return { transport, figures, memoryKiBPerClient, cpuUsPerDelivery, vanishedNoticeMs, cutNoticeMs };
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
}

function clientOptions(
  transport: CompareTransport,
  nick: string,
  ports: TransportPorts,
  settings: CompareSettings,
): ChatClientOptions {
  const session = { pingIntervalMs: pingIntervalFor(settings), joinRetryMs: 1_000, joinAttempts: 10 };
  const base = { nick, host: '127.0.0.1', session };
  switch (transport) {
    case 'udp-v1':
      return { ...base, port: ports.udp, protocol: 'v1' };
    case 'udp-v2':
      return { ...base, port: ports.udp, protocol: 'v2' };
    case 'tcp':
      return { ...base, port: ports.tcp, transport: tcpTransport };
    case 'ws':
      return { ...base, port: ports.web, transport: wsTransport };
  }
}

/** Connects `count` clients and waits for every welcome. */
async function joinAll(count: number, options: (i: number) => ChatClientOptions): Promise<ChatClient[]> {
  const clients: ChatClient[] = [];
  try {
    for (let i = 0; i < count; i++) clients.push(await ChatClient.connect(options(i)));
    await Promise.all(clients.map((client) => welcomed(client)));
  } catch (error) {
    await Promise.all(clients.map((client) => client.close()));
    throw error;
  }
  return clients;
}

function welcomed(client: ChatClient): Promise<void> {
  if (client.state === 'joined') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${client.nick} was not welcomed`)), JOIN_TIMEOUT_MS);
    const off = client.on('welcome', () => {
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

/** Every client sends its lines at the rate; waits until all arrived or the settle time passed. */
async function converse(
  clients: readonly ChatClient[],
  settings: CompareSettings,
  relayPid: number,
): Promise<{ figures: DeliveryFigures; cpuUsPerDelivery: number | null }> {
  const tally = new DeliveryTally(clients.length, settings.lines);
  let complete: () => void = () => {};
  const allIn = new Promise<void>((resolve) => {
    complete = resolve;
  });
  const offs = clients.map((client) =>
    client.on('chat', (event) => {
      const line = /^cmp (\d+)$/.exec(event.text)?.[1];
      if (line === undefined) return;
      tally.received(client.nick, event.nick, Number(line), performance.now());
      if (tally.delivered === tally.expected) complete();
    }),
  );
  const cpuBefore = readCpuMs(relayPid);
  for (let line = 0; line < settings.lines; line++) {
    for (const client of clients) {
      tally.sent(client.nick, line, performance.now());
      client.say(`cmp ${line}`);
    }
    await pause(1000 / settings.rate);
  }
  await Promise.race([allIn, pause(SETTLE_MS)]);
  const cpuAfter = readCpuMs(relayPid);
  for (const off of offs) off();
  const figures = tally.figures();
  const cpuUsPerDelivery =
    cpuBefore === undefined || cpuAfter === undefined || figures.delivered === 0
      ? null
      : ((cpuAfter - cpuBefore) * 1000) / figures.delivered;
  return { figures, cpuUsPerDelivery };
}

/**
 * The relay's resident memory per idle client: `count` clients joined, the growth divided by those the
 * relay welcomed (over a lossy path a few may not make it in time; they are left out, not waited for).
 */
async function idleMemory(
  count: number,
  relayPid: number,
  options: (i: number) => ChatClientOptions,
): Promise<number | null> {
  if (count === 0) return null;
  const before = readMemory(relayPid)?.rssKb;
  const idle: ChatClient[] = [];
  for (let i = 0; i < count; i++) idle.push(await ChatClient.connect(options(i)));
  const welcomes = await Promise.allSettled(idle.map((client) => welcomed(client)));
  const joined = welcomes.filter((result) => result.status === 'fulfilled').length;
  // A moment for the relay to finish what the joins made (its heap grows in steps, not per client).
  await pause(500);
  const after = readMemory(relayPid)?.rssKb;
  await Promise.all(idle.map((client) => client.close()));
  if (before === undefined || after === undefined || joined === 0) return null;
  return Math.max(0, after - before) / joined;
}

/**
 * A client joins, then dies as `kill` makes it; returns how long until `observer` heard it was gone
 * (a "left" or "timed out" notice), or null if it never did within three idle timeouts.
 */
async function deadPeer(
  observer: ChatClient,
  options: ChatClientOptions,
  settings: CompareSettings,
  kill: (ghost: ChatClient) => Promise<() => Promise<void>>,
): Promise<number | null> {
  const [ghost] = await joinAll(1, () => options);
  if (ghost === undefined) return null;
  const nick = ghost.nick;
  const heard = new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), settings.deadAfterMs * 3 + 5_000);
    const off = observer.on('notice', (event) => {
      if (!event.text.startsWith(`${nick} left`) && event.text !== `${nick} timed out`) return;
      clearTimeout(timer);
      off();
      resolve(performance.now());
    });
  });
  const diedAt = performance.now();
  const undo = await kill(ghost);
  const at = await heard;
  await undo();
  await ghost.close();
  return at === null ? null : at - diedAt;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
