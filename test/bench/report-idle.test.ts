import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IDLE_GOALS, type IdleResult } from '../../src/bench/idle.ts';
import { formatIdleText } from '../../src/bench/report/report-idle.ts';

function result(clients: number, rssMb: number, cpu: number): IdleResult {
  return {
    relay: 'spawned: udpchat relay',
    generatorReceive: 'recvmmsg (native addon)',
    clients,
    joined: clients,
    failedJoins: 0,
    processes: 7,
    sourceAddresses: 4,
    roomSize: 20,
    joinSeconds: 16.2,
    windowSeconds: 30,
    pingIntervalSeconds: 10,
    pingsSent: 300_000,
    pongsReceived: 299_600,
    kernelUdpDrops: 400,
    relayMemory: {
      rssKb: rssMb * 1024,
      peakRssKb: rssMb * 1024,
      baselineRssKb: 56 * 1024,
      bytesPerClient: 3100,
    },
    relayCpuPercentOfCore: cpu,
    generatorCpuPercentOfCore: 12,
    goals: IDLE_GOALS,
  };
}

describe('the idle report', () => {
  it('says by how much each goal of the 100,000-client scale is missed or that it is met', () => {
    const text = formatIdleText(result(100_000, 353.7, 14.4));
    assert.match(text, /RSS 353\.7 MB .*; goal <= 200 MB: missed by 153\.7 MB/);
    assert.match(text, /14\.4 % of a core; goal <= 25 %: met/);
    assert.match(text, /300,000 sent, 299,600 answered; kernel UDP drops 400/);
  });

  it('only names the goals for a smaller run', () => {
    const text = formatIdleText(result(200, 73, 1));
    assert.match(text, /the goal for 100,000 clients is <= 200 MB/);
    assert.doesNotMatch(text, /met|missed/);
  });
});
