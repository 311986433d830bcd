/**
 * Protocol v2 end to end through `udpchat chaos`, with real processes: two clients exchange 1,000 lines
 * each through 10% loss, 5% duplication, 5% reordering and 20±10 ms delay. With v2 nothing is lost,
 * duplicated or reordered; the same run with v1 shows the losses the seed warns about. Latency is measured
 * here, in one process, from the write into one client's stdin to the line on the other client's stdout.
 */
import assert from 'node:assert/strict';
import { describe, type TestContext, test } from 'node:test';
import { ChaosLedger } from './support/chaos-ledger.ts';
import { CliProcess } from './support/cli-process.ts';
import { waitUntil } from './support/wait-until.ts';

const LINES = 1_000;
/** Lines per second each client is fed: well inside v2's window, so the test measures the network. */
const RATE = 125;
const CHAOS = ['--loss', '10%', '--dup', '5%', '--reorder', '5%', '--delay', '20ms', '--jitter', '10ms'];

async function start(
  t: TestContext,
  args: readonly string[],
  ready: RegExp,
  name: string,
): Promise<CliProcess> {
  const child = CliProcess.cli(args, { name });
  t.after(() => child.stop());
  await child.waitForLine(ready, { timeoutMs: 10_000 });
  return child;
}

function portOf(line: string): number {
  return Number(/udp\/(\d+)/.exec(line)?.[1]);
}

interface Run {
  readonly received: Map<string, string[]>;
  readonly latencies: number[];
  readonly clients: readonly CliProcess[];
  readonly chaos: CliProcess;
  /** The chat lines through the proxy, counted from its --trace. */
  readonly ledger: ChaosLedger;
}

/** Every line sent has arrived, or (v1) nothing is in flight any more and every line sent was printed. */
const ARRIVAL_WAIT_MS = 30_000;

async function exchange(t: TestContext, protocol: 'v1' | 'v2', seed: number): Promise<Run> {
  const relay = await start(
    t,
    ['relay', '--host', '127.0.0.1', '--port', '0', '--line-rate', '0'],
    /^relay listening/,
    'relay',
  );
  const relayPort = portOf(relay.stdout.items[0] ?? '');
  const chaos = await start(
    t,
    ['chaos', '--listen', '0', '--to', `127.0.0.1:${relayPort}`, ...CHAOS, '--seed', String(seed), '--trace'],
    /^chaos listening/,
    'chaos',
  );
  const chaosPort = portOf(chaos.stdout.items[0] ?? '');
  const ledger = new ChaosLedger(`127.0.0.1:${relayPort}`, {
    sent: /^[ab]-\d{4}\\n$/,
    relayed: /^<(alice|bob)> [ab]-\d{4}\\n$/,
  });
  chaos.stderr.onItem((line) => ledger.read(line));
  const clients = new Map<string, CliProcess>();
  for (const nick of ['alice', 'bob']) {
    const child = CliProcess.cli(['chat', nick, '127.0.0.1', String(chaosPort), '--protocol', protocol], {
      name: nick,
    });
    t.after(() => child.stop());
    clients.set(nick, child);
    // v1 has no retransmission: a lost /join is re-sent by the client, so the welcome does arrive.
    await child.waitForLine(`*** welcome, ${nick} ***`, { timeoutMs: 15_000 });
  }
  const { received, latencies } = await feed(clients);
  return { received, latencies, clients: [...clients.values()], chaos, ledger };
}

/** Feeds both clients their lines at RATE and records when each line shows up on the other side. */
async function feed(clients: Map<string, CliProcess>): Promise<Pick<Run, 'received' | 'latencies'>> {
  const sentAt = new Map<string, bigint>();
  const received = new Map<string, string[]>([
    ['alice', []],
    ['bob', []],
  ]);
  const latencies: number[] = [];
  for (const [nick, child] of clients) {
    const other = nick === 'alice' ? 'bob' : 'alice';
    const pattern = new RegExp(`^<${other}> (${other[0]}-\\d{4})$`);
    const list = received.get(nick) ?? [];
    const watch = (line: string): void => {
      const match = pattern.exec(line);
      if (match === null) return;
      const id = match[1] ?? '';
      list.push(id);
      const at = sentAt.get(id);
      if (at !== undefined) latencies.push(Number(process.hrtime.bigint() - at) / 1e6);
    };
    child.stdout.onItem(watch);
  }
  for (let i = 0; i < LINES; i++) {
    for (const [nick, child] of clients) {
      const id = `${nick[0]}-${String(i).padStart(4, '0')}`;
      sentAt.set(id, process.hrtime.bigint());
      child.writeLine(id);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000 / RATE));
  }
  return { received, latencies };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

describe('v2 through a lossy network, end to end', { timeout: 120_000 }, () => {
  test('v2: 1,000 lines each way through 10% loss, 5% dup, 5% reorder, 20±10 ms: none lost, none twice, in order', async (t) => {
    const run = await exchange(t, 'v2', 7);
    const expected = (letter: string): string[] =>
      Array.from({ length: LINES }, (_, i) => `${letter}-${String(i).padStart(4, '0')}`);
    // Every line is in flight at most a few seconds: wait for the last one, bounded.
    await waitUntil(
      () => [...run.received.values()].every((list) => list.length >= LINES),
      run.clients.map((c) => c.stdout),
      {
        timeoutMs: ARRIVAL_WAIT_MS,
        describe: () =>
          [...run.received].map(([nick, list]) => `${nick} has ${list.length} lines`).join(', '),
      },
    );
    for (const [nick, letter] of [
      ['alice', 'b'],
      ['bob', 'a'],
    ] as const) {
      assert.deepEqual(
        run.received.get(nick),
        expected(letter),
        `${nick} received every line once, in order`,
      );
    }
    t.diagnostic(
      `v2 delivery latency over ${run.latencies.length} lines: p50 ${percentile(run.latencies, 50).toFixed(1)} ms, ` +
        `p99 ${percentile(run.latencies, 99).toFixed(1)} ms, max ${Math.max(...run.latencies).toFixed(1)} ms`,
    );
  });

  test('v1 through the same network loses lines, as the seed warns', async (t) => {
    const run = await exchange(t, 'v1', 7);
    // Lost lines never come: wait until the proxy holds none back and every line it sent was printed.
    const printed = (): number => [...run.received.values()].reduce((sum, list) => sum + list.length, 0);
    await waitUntil(
      () => run.ledger.settled && printed() === run.ledger.delivered,
      [run.chaos.stderr, ...run.clients.map((c) => c.stdout)],
      { timeoutMs: ARRIVAL_WAIT_MS, describe: () => `${run.ledger.describe()}; printed ${printed()}` },
    );
    let lost = 0;
    let duplicated = 0;
    let outOfOrder = 0;
    for (const list of run.received.values()) {
      const seen = new Set<string>();
      let previous = '';
      for (const id of list) {
        if (seen.has(id)) duplicated++;
        if (id < previous) outOfOrder++;
        seen.add(id);
        previous = id > previous ? id : previous;
      }
      lost += LINES - seen.size;
    }
    t.diagnostic(
      `v1: ${lost} of ${2 * LINES} lines lost, ${duplicated} duplicated, ${outOfOrder} out of order`,
    );
    assert.ok(lost > 0, 'some lines were lost');
  });
});
