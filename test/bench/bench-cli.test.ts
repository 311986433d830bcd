/**
 * `udpchat bench` as a real process against real relays on 127.0.0.1: small runs of about a second that
 * check every line was delivered and the report's shape, never a speed (speeds go in BENCHMARKS.md).
 * Run `npm run build` first when running this file by hand.
 */
import assert from 'node:assert/strict';
import { describe, type TestContext, test } from 'node:test';
import type { IdleResult } from '../../src/bench/idle.ts';
import type { TrafficSeries } from '../../src/bench/run.ts';
import type { HistoryBenchResult } from '../../src/bench/store/history-bench.ts';
import { nativeReceiveAddon } from '../../src/transport/native-receive.ts';
import { CliProcess } from '../e2e/support/cli-process.ts';

const RUN_TIMEOUT_MS = 60_000;
/** What `--receive auto` resolves to in this checkout (the addon is built by npm install when it can be). */
const AUTO_RECEIVE =
  nativeReceiveAddon() === null ? 'node:dgram' : 'recvmmsg (native addon), kernel receive times';

async function bench(
  t: TestContext,
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; child: CliProcess }> {
  const child = CliProcess.cli(['bench', ...args], { name: 'bench', ...(env ? { env } : {}) });
  t.after(() => child.stop());
  const status = await child.waitForExit(RUN_TIMEOUT_MS);
  return { code: status.code, stdout: child.stdoutText, child };
}

function assertEveryLineDelivered(series: TrafficSeries, clients: number, lines: number): void {
  const [step] = series.steps;
  assert.ok(step, 'one step');
  assert.equal(series.failedJoins, 0);
  assert.equal(step.linesSent, lines);
  assert.equal(step.expectedDeliveries, lines * (clients - 1));
  // Delivered, on time or not: lateness is a speed, and speeds are for BENCHMARKS.md, not for tests.
  assert.equal(step.onTime + step.late, step.expectedDeliveries);
  assert.equal(step.missing, 0);
  assert.equal(step.duplicates, 0);
  assert.equal(step.outOfOrder, 0);
}

describe('udpchat bench', () => {
  test('--transport udp,tcp,ws runs one series per transport, each delivering every line', async (t) => {
    const run = await bench(t, [
      '--spawn',
      '--clients',
      '5',
      '--rate',
      '50',
      '--duration',
      '1',
      '--transport',
      'udp,tcp,ws',
      '--json',
    ]);
    assert.equal(run.code, 0);
    const { series } = JSON.parse(run.stdout) as { series: TrafficSeries[] };
    assert.deepEqual(
      series.map((s) => s.transport),
      ['udp', 'tcp', 'ws'],
    );
    for (const one of series) assertEveryLineDelivered(one, 5, 50);
    assert.match(series[1]?.relay ?? '', /--tcp-port 0/);
    assert.match(series[2]?.generatorReceive ?? '', /WebSocket/);
  });

  test('--transport udp,v2 runs v1 clients, then protected-v2 clients on a fresh relay, each delivering every line', async (t) => {
    const run = await bench(t, [
      '--spawn',
      '--clients',
      '4',
      '--rate',
      '40',
      '--duration',
      '1',
      '--transport',
      'udp,v2',
      '--json',
    ]);
    assert.equal(run.code, 0);
    const { series } = JSON.parse(run.stdout) as { series: TrafficSeries[] };
    assert.deepEqual(
      series.map((s) => s.transport),
      ['udp', 'v2'],
    );
    for (const one of series) assertEveryLineDelivered(one, 4, 40);
    assert.match(series[1]?.generatorReceive ?? '', /protected v2/);
    assert.equal(series[1]?.steps[0]?.stray, 0);
    assert.ok((series[1]?.steps[0]?.relayCpu?.ms ?? 0) > 0, 'the relay spent CPU on the v2 sessions');
  });

  test('--relays 1,2 runs one relay, then two in a cluster on a Redis of its own, each delivering every line', async (t) => {
    const run = await bench(t, [
      '--spawn',
      '--relays',
      '1,2',
      '--clients',
      '6',
      '--rate',
      '40',
      '--duration',
      '1',
      '--json',
    ]);
    assert.equal(run.code, 0);
    const { series } = JSON.parse(run.stdout) as { series: TrafficSeries[] };
    assert.deepEqual(
      series.map((s) => s.relays),
      [1, 2],
    );
    for (const one of series) assertEveryLineDelivered(one, 6, 40);
    assert.equal(series[0]?.redisOpsPerLine, null, 'one relay uses no Redis');
    assert.ok(
      (series[1]?.redisOpsPerLine ?? 0) >= 1,
      'every line of a cluster costs Redis at least one command',
    );
    assert.match(series[1]?.relay ?? '', /^2 relays in a cluster/);
  });

  test('a spawned relay delivers every line of a one-second run, and the JSON says so', async (t) => {
    const run = await bench(t, [
      '--spawn',
      '--clients',
      '5',
      '--senders',
      '2',
      '--rate',
      '50',
      '--duration',
      '1',
      '--json',
    ]);
    assert.equal(run.code, 0);
    const { series } = JSON.parse(run.stdout) as { series: TrafficSeries[] };
    assert.equal(series.length, 1);
    const [only] = series;
    assert.ok(only);
    assert.equal(only.clients, 5);
    assert.equal(only.senders, 2);
    assert.match(only.relay, /^spawned: udpchat relay .*--line-rate 0/);
    assert.equal(only.generatorReceive, AUTO_RECEIVE);
    assertEveryLineDelivered(only, 5, 50);
    const step = only.steps[0];
    assert.ok(step?.latencyMs && step.latencyMs.p50 > 0 && step.latencyMs.p99 >= step.latencyMs.p50);
    assert.ok(step.relayCpu !== null && step.relayCpu.ms >= 0);
    assert.equal(typeof step.generatorCpu.percentOfCore, 'number');
  });

  test('a relay that is already running is measured through --relay and --relay-pid', async (t) => {
    const relay = CliProcess.cli(
      [
        'relay',
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--line-rate',
        '0',
        '--max-per-address',
        '0',
        '--join-rate',
        '0',
      ],
      { name: 'relay' },
    );
    t.after(() => relay.stop());
    const port = /udp\/(\d+)/.exec(await relay.waitForLine(/^relay listening on udp\/\d+$/))?.[1];
    const args = ['--relay', `127.0.0.1:${port}`, '--relay-pid', String(relay.pid), '--clients', '4'];
    const run = await bench(t, [...args, '--rate', '20', '--duration', '1', '--receive', 'node', '--json']);
    assert.equal(run.code, 0);
    const [series] = (JSON.parse(run.stdout) as { series: TrafficSeries[] }).series;
    assert.ok(series);
    assert.equal(series.generatorReceive, 'node:dgram');
    assertEveryLineDelivered(series, 4, 20);
    assert.ok(series.steps[0]?.relayCpu !== null);
    // The clients said /leave: the relay logged each departure.
    await relay.waitForLine(/n3 left/);
  });

  test('--history-lines fills a database, reads it back and starts a relay on it, and the JSON says so', async (t) => {
    const run = await bench(t, ['--history-lines', '3000', '--json']);
    assert.equal(run.code, 0);
    const result = JSON.parse(run.stdout) as HistoryBenchResult;
    assert.equal(result.lines, 3_000);
    assert.ok(result.commits >= 1, 'the lines went through the group commit');
    assert.ok(result.fileBytes > 3_000 * 60, 'the file holds the lines (about 60 characters each)');
    assert.equal(result.bytesPerMillionLines, Math.round((result.fileBytes / 3_000) * 1e6));
    for (const query of [result.last20, result.before20Old, result.before20Random, result.after200Random])
      assert.ok(query.medianUs <= query.p99Us);
    assert.ok(result.relayStartMs > 0 && result.openMs > 0);
  });

  test('idle clients join, are answered and the relay’s memory and CPU are reported', async (t) => {
    const run = await bench(t, [
      '--spawn',
      '--idle-clients',
      '50',
      '--window',
      '1',
      '--ping-interval',
      '0.5',
      '--json',
    ]);
    assert.equal(run.code, 0);
    const result = JSON.parse(run.stdout) as IdleResult;
    assert.equal(result.joined, 50);
    assert.equal(result.failedJoins, 0);
    assert.equal(result.processes, 1);
    assert.ok(result.pingsSent > 0 && result.pongsReceived > 0);
    assert.ok(result.relayMemory !== null && result.relayMemory.rssKb > 0);
    assert.equal(typeof result.relayCpuPercentOfCore, 'number');
    assert.deepEqual(result.goals, { clients: 100_000, rssMb: 200, cpuPercentOfCore: 25 });
  });

  test('idle protected-v2 clients join into their rooms over sealed sessions and answer pings', async (t) => {
    const run = await bench(t, [
      '--spawn',
      '--idle-clients',
      '30',
      '--window',
      '1',
      '--ping-interval',
      '0.5',
      '--transport',
      'v2',
      '--json',
    ]);
    assert.equal(run.code, 0);
    const result = JSON.parse(run.stdout) as IdleResult;
    assert.equal(result.joined, 30);
    assert.equal(result.failedJoins, 0);
    assert.ok(result.pingsSent > 0);
    assert.ok(result.pongsReceived > 0 && result.pongsReceived <= result.pingsSent);
    assert.match(result.generatorReceive, /protected v2/);
  });

  test('a relay with sender threads delivers every line, read through node:dgram', async (t) => {
    const run = await bench(t, [
      '--spawn',
      '--relay-args=--send-threads 2',
      '--clients',
      '6',
      '--senders',
      '3',
      '--rate',
      '60',
      '--duration',
      '1',
      '--receive',
      'node',
      '--json',
    ]);
    assert.equal(run.code, 0);
    const [series] = (JSON.parse(run.stdout) as { series: TrafficSeries[] }).series;
    assert.ok(series);
    assert.match(series.relay, /--send-threads 2/);
    assertEveryLineDelivered(series, 6, 60);
  });

  test('--receive native without the addon says why and fails', async (t) => {
    const run = await bench(t, ['--spawn', '--clients', '3', '--duration', '1', '--receive', 'native'], {
      ...process.env,
      UDPCHAT_NATIVE: 'off',
    });
    assert.notEqual(run.code, 0);
    await run.child.waitForLine(/--receive native: the native addon is not built here/, { stream: 'stderr' });
  });

  test('without a relay choice it is a usage error', async (t) => {
    const run = await bench(t, ['--clients', '5']);
    assert.equal(run.code, 2);
  });
});
