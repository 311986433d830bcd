/**
 * `udpchat bench --failover N` as a real process: it starts redis-server and the relays itself, kills
 * one relay per round and reports. These runs check that every client resumed and no line was lost or
 * repeated, and that the times are real, never how fast they are (that goes in BENCHMARKS.md).
 * Run `npm run build` first when running this file by hand.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FailoverBenchResult } from '../../src/bench/failover/failover-bench.ts';
import { CliProcess } from '../e2e/support/cli-process.ts';

const RUN_TIMEOUT_MS = 90_000;
const STARTED = /redis-server \(pid (\d+)\) and \d relays \(pids ([\d, ]+)\) started/;

/** The pids the bench said it started (its cluster, and each relay started for a later round). */
function startedPids(stderr: readonly string[]): number[] {
  const pids: number[] = [];
  for (const line of stderr) {
    const cluster = STARTED.exec(line);
    if (cluster) pids.push(Number(cluster[1]), ...(cluster[2] ?? '').split(', ').map(Number));
    const added = /relay failover-\d+ \(pid (\d+)\) started/.exec(line);
    if (added) pids.push(Number(added[1]));
  }
  return pids;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('udpchat bench --failover', () => {
  test('2 kills on a cluster it starts: every client resumed, nothing lost or repeated, real times', async (t) => {
    const run = CliProcess.cli(['bench', '--failover', '2', '--clients', '4', '--senders', '2', '--json'], {
      name: 'bench',
    });
    t.after(() => run.stop());
    const status = await run.waitForExit(RUN_TIMEOUT_MS);
    assert.equal(status.code, 0, run.stderr.items.join('\n'));
    const r = JSON.parse(run.stdoutText) as FailoverBenchResult;
    assert.equal(r.kills, 2);
    assert.equal(r.relays, 2);
    assert.deepEqual([r.activeClients, r.idleClients], [2, 2]);
    assert.equal(r.resumptions, 8);
    assert.equal(r.failedResumptions, 0);
    assert.deepEqual([r.lost, r.repeated, r.carriedOverLost], [0, 0, 0]);
    // Each talking client had lines acknowledged before the kill (2 each, 2 clients, 2 rounds).
    assert.ok(r.acknowledged >= 8, `acknowledged ${r.acknowledged}`);
    assert.deepEqual(
      r.rounds.map((round) => round.killed),
      ['failover-1', 'failover-2'],
      'a fresh node id each round',
    );
    for (const round of r.rounds) {
      assert.equal(round.activeMs.length, 2);
      assert.equal(round.idleMs.length, 2);
      for (const ms of [...round.activeMs, ...round.idleMs]) assert.ok(ms > 0 && ms < 20_000, `${ms} ms`);
    }
    for (const summary of [r.activeMs, r.idleMs]) {
      assert.ok(summary !== null);
      assert.equal(summary.count, 4);
      assert.ok(summary.p50Ms > 0 && summary.p50Ms <= summary.p99Ms && summary.p99Ms <= summary.maxMs);
    }
    const all = r.rounds.flatMap((round) => [...round.activeMs, ...round.idleMs]);
    assert.equal(Math.round(Math.max(...all)), Math.max(r.activeMs?.maxMs ?? 0, r.idleMs?.maxMs ?? 0));
    const pids = startedPids(run.stderr.items);
    assert.equal(pids.length, 4, 'redis-server, 2 relays, and 1 started after the first kill');
    assert.deepEqual(pids.filter(alive), [], 'every process it started is stopped');
  });

  test('Ctrl-C during a run stops the redis-server and relays it started', async (t) => {
    const run = CliProcess.cli(['bench', '--failover', '50'], { name: 'bench' });
    t.after(() => run.stop());
    await run.waitForLine(/kill 1 \(failover-1\)/, { stream: 'stderr', timeoutMs: RUN_TIMEOUT_MS });
    run.kill('SIGINT');
    const status = await run.waitForExit(15_000);
    assert.equal(status.code, 130);
    const pids = startedPids(run.stderr.items);
    assert.ok(pids.length >= 3, `pids ${pids}`);
    assert.deepEqual(pids.filter(alive), [], 'every process it started is stopped');
  });

  test('a bad flag gets a clear usage error', async (t) => {
    const run = CliProcess.cli(['bench', '--failover', '2', '--relays', '4'], { name: 'bad' });
    t.after(() => run.stop());
    const status = await run.waitForExit(15_000);
    assert.equal(status.code, 2);
    assert.match(run.stderr.items.join('\n'), /--failover needs --relays 2 or 3 \(got 4\)/);
  });
});
