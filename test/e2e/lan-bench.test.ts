/** `udpchat bench --multicast`: a short run among real LAN peers delivers every line to every other peer. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { LanBenchResult } from '../../src/bench/lan/lan-bench.ts';
import { freshGroup, groupText } from '../support/multicast-group.ts';
import { CliProcess } from './support/cli-process.ts';

it('bench --multicast: 4 peers in 2 workers, every line to every other peer, with latency and CPU', async (t) => {
  const bench = CliProcess.cli(
    ['bench', '--multicast', groupText(freshGroup()), '--clients', '4', '--duration', '2s', '--json'],
    { name: 'bench' },
  );
  t.after(() => bench.stop());
  const status = await bench.waitForExit(60_000);
  assert.equal(status.code, 0, bench.stderr.items.join('\n'));
  const { lan } = JSON.parse(bench.stdoutText) as { lan: LanBenchResult[] };
  const [run] = lan;
  assert.ok(run !== undefined);
  assert.equal(run.peers, 4);
  assert.equal(run.presence, 4);
  assert.ok(run.sent >= 20, `sent ${run.sent}`);
  assert.equal(run.expected, run.sent * 3);
  assert.equal(run.received, run.expected);
  assert.equal(run.lost, 0);
  assert.ok(run.p99Us !== null && run.p99Us > 0 && run.p99Us >= (run.p50Us ?? 0));
  assert.ok(run.cpuPerDeliveryUs !== null && run.cpuPerDeliveryUs > 0);
});
