import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type FailoverBenchResult, failoverVerdict } from '../../src/bench/failover/failover-bench.ts';
import { nearestRank, summarizeTimes } from '../../src/bench/failover/failover-summary.ts';
import { formatFailoverText } from '../../src/bench/report/report-failover.ts';

const RESULT: FailoverBenchResult = {
  relays: 2,
  kills: 20,
  activeClients: 3,
  idleClients: 3,
  paceMs: 400,
  activeMs: { count: 60, p50Ms: 1705, p99Ms: 1889, maxMs: 1889 },
  idleMs: null,
  resumptions: 60,
  failedResumptions: 0,
  acknowledged: 254,
  lost: 0,
  repeated: 0,
  carriedOver: 250,
  carriedOverLost: 0,
  carriedOverShownTwice: 3,
  rounds: [],
};

describe('bench --failover figures', () => {
  it('nearest-rank percentiles: p50 of 1..100 is 50, p99 is 99, and of 60 values p99 is the largest', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(nearestRank(hundred, 50), 50);
    assert.equal(nearestRank(hundred, 99), 99);
    const sixty = Array.from({ length: 60 }, (_, i) => i + 1);
    assert.equal(nearestRank(sixty, 99), 60);
    assert.equal(nearestRank([7], 50), 7);
    assert.throws(() => nearestRank([], 50), /no values/);
  });

  it('summarizes unsorted times in whole ms, and none as null', () => {
    assert.deepEqual(summarizeTimes([2100.4, 1500.6, 1800.2]), {
      count: 3,
      p50Ms: 1800,
      p99Ms: 2100,
      maxMs: 2100,
    });
    assert.equal(summarizeTimes([]), null);
  });

  it('the text report names the times of both kinds of client, the failures and the lines', () => {
    const text = formatFailoverText(RESULT);
    assert.match(text, /20 \(SIGKILL\), each with 3 talking \(a line every 400 ms\) and 3 idle/);
    assert.match(text, /active, kill to resumed {2}p50 1,705 ms, p99 1,889 ms, max 1,889 ms \(60 clients\)/);
    assert.match(text, /idle, kill to resumed {4}none/);
    assert.match(text, /60 resumed, 0 failed/);
    assert.match(text, /acknowledged lines {2}254: 0 lost, 0 shown twice/);
    assert.match(text, /carried over a move 250 \(held, or said again\): 0 lost, 3 shown twice \(allowed\)/);
  });

  it('exits 1 on a failed resumption or a lost or repeated line, 0 when a carried-over line shows twice', () => {
    const said: string[] = [];
    const log = (line: string): void => {
      said.push(line);
    };
    assert.equal(failoverVerdict(RESULT, log), 0);
    assert.equal(failoverVerdict({ ...RESULT, failedResumptions: 1 }, log), 1);
    assert.equal(failoverVerdict({ ...RESULT, lost: 1 }, log), 1);
    assert.equal(failoverVerdict({ ...RESULT, repeated: 2 }, log), 1);
    assert.equal(failoverVerdict({ ...RESULT, carriedOverLost: 1 }, log), 1);
    assert.deepEqual(said, [
      '1 clients did not resume',
      '1 acknowledged lines lost, 0 shown twice',
      '0 acknowledged lines lost, 2 shown twice',
      '1 lines carried over a move lost',
    ]);
  });
});
