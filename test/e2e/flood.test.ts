/**
 * Flood control end to end (docs/PROTOCOL.md, "Flood control"): the real `udpchat relay` process with its
 * default limits, a flooder in a child process (test/e2e/support/flood-worker.ts, so its sending loop does
 * not share an event loop with the clients it competes with), and raw UDP clients on 127.0.0.1.
 * Run `npm run build` first by hand. The measured figures are printed as test diagnostics.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { describe, type TestContext, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CliProcess } from './support/cli-process.ts';
import { UdpPeer } from './support/udp-peer.ts';

const WORKER: string = fileURLToPath(new URL('./support/flood-worker.ts', import.meta.url));

/** The numbers. */
const FLOOD_RATE = 20_000;
const FLOOD_MS = 2_000;
const HONEST_CLIENTS = 5;
const HONEST_RATE = 4;
const HONEST_LINES = (HONEST_RATE * FLOOD_MS) / 1000;
const MIN_DELIVERED_FRACTION = 0.95;
const MAX_FLOODER_FORWARDED = 120;
/** The relay tells a throttled client at most once a second: a 2 s flood earns at most 3 notices. */
const MAX_THROTTLE_NOTICES = 3;
const JOIN_FLOOD_COUNT = 10_000;
/** The joins are spread over 1.9 s so that a late last timer still ends the flood within FLOOD_MS. */
const JOIN_FLOOD_SCHEDULE_MS = 1_900;
const MAX_PER_ADDRESS = 64;
const MAX_RSS_GROWTH_KIB = 32 * 1024;

/** The join flood comes from another source host than the clients that check on it. */
const FLOOD_HOST = '127.0.0.2';

/** UDP may drop a datagram: a request that expects an answer is tried this often, waiting this long. */
const ATTEMPTS = 5;
const ANSWER_WAIT_MS = 1_000;
/** Starting tsx and binding 10,000 sockets takes a while on a loaded 2-core machine. */
const WORKER_READY_MS = 20_000;
const FLOOD_DONE_MS = FLOOD_MS + 10_000;

interface RunningRelay {
  readonly process: CliProcess;
  readonly port: number;
  readonly pid: number;
}

async function startRelay(t: TestContext, extra: readonly string[] = []): Promise<RunningRelay> {
  const relay = CliProcess.cli(['relay', '--host', '127.0.0.1', '--port', '0', ...extra], { name: 'relay' });
  t.after(() => relay.stop());
  const line = await relay.waitForLine(/^relay listening on udp\/\d+$/);
  assert.ok(relay.pid !== undefined, 'the relay has no pid');
  return { process: relay, port: Number(line.split('/')[1]), pid: relay.pid };
}

/** Sends `line` until `answer` arrives (bounded); resolves with the matching datagram. */
async function ask(p: UdpPeer, line: string, answer: (text: string) => boolean): Promise<string> {
  let lastError: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const from = p.lines.items.length;
    p.send(line);
    try {
      return await p.lines.waitFor(answer, { from, timeoutMs: ANSWER_WAIT_MS, what: `answer to ${line}` });
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function joinedPeer(t: TestContext, relay: RunningRelay, nick: string): Promise<UdpPeer> {
  const p = await UdpPeer.connect(relay.port);
  t.after(() => p.close());
  await ask(p, `/join ${nick}\n`, (text) => text === `*** welcome, ${nick} ***\n`);
  return p;
}

/** A /ping answered proves the relay responsive, and that it has handled every datagram queued before. */
async function assertResponsive(p: UdpPeer): Promise<void> {
  await ask(p, '/ping\n', (text) => text === '/pong\n');
}

async function startWorker(t: TestContext, args: readonly string[]): Promise<CliProcess> {
  const worker = CliProcess.spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], {
    name: `flood-worker ${args[0] ?? ''}`,
  });
  t.after(() => worker.stop());
  await worker.waitForLine('ready', { timeoutMs: WORKER_READY_MS });
  return worker;
}

/** Starts the flood and resolves with the worker's `sent <datagrams> <elapsed ms>`. */
async function runFlood(worker: CliProcess): Promise<{ sent: number; elapsedMs: number }> {
  worker.writeLine('go');
  const line = await worker.waitForLine(/^sent \d+ [\d.]+$/, { timeoutMs: FLOOD_DONE_MS });
  const [, sent, elapsed] = line.split(' ');
  return { sent: Number(sent), elapsedMs: Number(elapsed) };
}

/** Ends the worker's input; it answers with its `report ...` line and exits. */
async function finishWorker(worker: CliProcess): Promise<string> {
  worker.endInput();
  const report = await worker.waitForLine(/^report /, { timeoutMs: ATTEMPTS * ANSWER_WAIT_MS + 5_000 });
  assert.equal((await worker.waitForExit()).code, 0, worker.stderr.items.join('\n'));
  return report;
}

/** VmRSS of a process, in KiB. */
function rssKiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(match?.[1] !== undefined, `no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

/**
 * Datagrams the kernel dropped on the receive path of the UDP socket bound to 127.0.0.1:`port` (the last
 * column of /proc/net/udp), or null if the socket is not listed. It tells a relay too slow to keep up
 * (its receive buffer overflowed) from a relay that dropped lines by policy.
 */
function kernelDrops(port: number): number | null {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const row of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const fields = row.trim().split(/\s+/);
    if (fields[1] === local) return Number(fields[fields.length - 1]);
  }
  return null;
}

/**
 * Each honest client sends HONEST_RATE unique lines a second while the flood lasts, on a schedule kept
 * against the monotonic clock (pacing, not waiting for a condition). Resolves with the lines sent.
 */
function sendHonestLines(clients: readonly UdpPeer[]): Promise<string[][]> {
  const sent: string[][] = clients.map(() => []);
  const intervalMs = 1000 / HONEST_RATE;
  const started = performance.now();
  return new Promise((resolve) => {
    let round = 0;
    const next = (): void => {
      clients.forEach((client, i) => {
        const line = `honest-${i}-${round}`;
        client.send(`${line}\n`);
        sent[i]?.push(line);
      });
      round++;
      if (round >= HONEST_LINES) resolve(sent);
      else setTimeout(next, Math.max(0, started + (round + 0.5) * intervalMs - performance.now()));
    };
    setTimeout(next, intervalMs / 2);
  });
}

/** The honest lines of client `i` that reached the observer, each counted once. */
function deliveredTo(observer: UdpPeer, i: number, lines: readonly string[]): number {
  const received = new Set(observer.lines.items);
  return lines.filter((line) => received.has(`<honest-${i}> ${line}\n`)).length;
}

/** Members of #lobby, from the header of a `/who #lobby` answer (`*** #lobby: N members ***`). */
async function lobbyMembers(checker: UdpPeer): Promise<number> {
  const header = /^\*\*\* #lobby: (\d+) members? \*\*\*\n$/;
  const line = await ask(checker, '/who #lobby\n', (text) => header.test(text));
  return Number(header.exec(line)?.[1]);
}

interface JoinFloodResult {
  /** Members registered by the flood, as /who counts them (the checker itself left out). */
  readonly members: number;
  readonly rssBeforeKiB: number;
  readonly rssAfterKiB: number;
}

/** JOIN_FLOOD_COUNT `/join n<i>`, each from its own port of FLOOD_HOST, within FLOOD_MS. */
async function joinFlood(
  t: TestContext,
  relayFlags: readonly string[],
  count = JOIN_FLOOD_COUNT,
): Promise<JoinFloodResult> {
  const relay = await startRelay(t, relayFlags);
  const worker = await startWorker(t, [
    'joins',
    ...['--port', String(relay.port), '--host', FLOOD_HOST],
    ...['--count', String(count), '--ms', String(JOIN_FLOOD_SCHEDULE_MS)],
  ]);
  const rssBeforeKiB = rssKiB(relay.pid);
  const flood = await runFlood(worker);
  t.diagnostic(`join flood: ${flood.sent} joins in ${flood.elapsedMs} ms; ${worker.stdout.items[0]}`);
  const checker = await joinedPeer(t, relay, 'checker');
  const members = (await lobbyMembers(checker)) - 1;
  const rssAfterKiB = rssKiB(relay.pid);
  t.diagnostic(`worker ${await finishWorker(worker)}; kernel drops at the relay: ${kernelDrops(relay.port)}`);
  t.diagnostic(
    `members registered: ${members}; relay RSS ${rssBeforeKiB} KiB -> ${rssAfterKiB} KiB ` +
      `(+${rssAfterKiB - rssBeforeKiB} KiB)`,
  );
  assert.equal(flood.sent, count);
  assert.ok(flood.elapsedMs <= FLOOD_MS, `the join flood took ${flood.elapsedMs} ms`);
  return { members, rssBeforeKiB, rssAfterKiB };
}

interface FairnessRun {
  readonly flood: { readonly sent: number; readonly elapsedMs: number };
  /** Per honest client, the lines it sent and how many of them reached the observer. */
  readonly honest: readonly { readonly sent: number; readonly delivered: number }[];
  /** Flooder lines the observer received. */
  readonly forwarded: number;
  readonly notices: number;
  readonly report: string;
  readonly kernelDrops: number;
}

async function honestClients(t: TestContext, relay: RunningRelay): Promise<UdpPeer[]> {
  const clients: UdpPeer[] = [];
  for (let i = 0; i < HONEST_CLIENTS; i++) clients.push(await joinedPeer(t, relay, `honest-${i}`));
  return clients;
}

/** The flood with the honest clients talking through it; measured once the relay has answered a /ping. */
async function fairnessRun(t: TestContext): Promise<FairnessRun> {
  const relay = await startRelay(t);
  const observer = await joinedPeer(t, relay, 'observer');
  const honest = await honestClients(t, relay);
  const flooder = await startWorker(t, [
    'lines',
    ...['--port', String(relay.port), '--nick', 'flooder'],
    ...['--rate', String(FLOOD_RATE), '--ms', String(FLOOD_MS)],
  ]);
  const dropsBefore = kernelDrops(relay.port) ?? 0;
  const floodDone = runFlood(flooder);
  // Awaited below; this only keeps a failure before then from surfacing as an unhandled rejection.
  floodDone.catch(() => {});
  await flooder.waitForLine('started', { timeoutMs: ANSWER_WAIT_MS });
  const sent = await sendHonestLines(honest);
  const flood = await floodDone;
  await assertResponsive(observer);
  const report = await finishWorker(flooder);
  return {
    flood,
    honest: sent.map((lines, i) => ({ sent: lines.length, delivered: deliveredTo(observer, i, lines) })),
    forwarded: observer.lines.items.filter((line) => line.startsWith('<flooder> ')).length,
    notices: Number(/notices=(\d+)/.exec(report)?.[1]),
    report,
    kernelDrops: (kernelDrops(relay.port) ?? 0) - dropsBefore,
  };
}

function reportFairness(t: TestContext, run: FairnessRun): void {
  const rate = Math.round(run.flood.sent / (run.flood.elapsedMs / 1000));
  t.diagnostic(`flood: ${run.flood.sent} datagrams in ${run.flood.elapsedMs} ms = ${rate} datagrams/s`);
  t.diagnostic(`kernel receive drops at the relay during the flood: ${run.kernelDrops}`);
  t.diagnostic(`flooder: ${run.forwarded} lines forwarded, ${run.notices} throttle notices (${run.report})`);
  for (const [i, { sent, delivered }] of run.honest.entries()) {
    const percent = ((100 * delivered) / sent).toFixed(1);
    t.diagnostic(`honest-${i}: ${delivered}/${sent} delivered (${percent}%)`);
  }
}

describe('flood control, end to end with the relay process', () => {
  test('a client flooding 20,000 lines/s is throttled while five honest clients are all heard', async (t) => {
    const run = await fairnessRun(t);
    reportFairness(t, run);
    assert.equal(run.flood.sent, (FLOOD_RATE * FLOOD_MS) / 1000);
    for (const [i, { sent, delivered }] of run.honest.entries())
      assert.ok(delivered >= MIN_DELIVERED_FRACTION * sent, `honest-${i}: ${delivered} of ${sent}`);
    assert.ok(run.forwarded <= MAX_FLOODER_FORWARDED, `${run.forwarded} flooder lines forwarded`);
    assert.ok(run.notices <= MAX_THROTTLE_NOTICES, `${run.notices} throttle notices`);
    assert.match(run.report, /pong=true/, "the relay answers the flooder's /ping after the flood");
  });

  test('10,000 joins from one host register at most 64 clients and grow the relay by < 32 MiB', async (t) => {
    const result = await joinFlood(t, []);
    assert.ok(result.members <= MAX_PER_ADDRESS, `${result.members} members registered`);
    assert.ok(result.rssAfterKiB - result.rssBeforeKiB < MAX_RSS_GROWTH_KIB);
  });

  test('without the join rate, the per-address cap alone holds the flood at 64 clients', async (t) => {
    const result = await joinFlood(t, ['--join-rate', '0']);
    assert.equal(result.members, MAX_PER_ADDRESS);
    assert.ok(result.rssAfterKiB - result.rssBeforeKiB < MAX_RSS_GROWTH_KIB);
  });

  test('with both limits off (--max-per-address 0 --join-rate 0) the same flood registers more', async (t) => {
    // 500 joins, not 10,000: with no limit every join is announced to every earlier member, so the
    // relay's work grows with the square of the count; 500 is enough to show the cap is what holds.
    const result = await joinFlood(t, ['--max-per-address', '0', '--join-rate', '0'], 500);
    assert.ok(result.members > MAX_PER_ADDRESS, `${result.members} members registered`);
  });
});
