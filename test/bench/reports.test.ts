import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linearTicks, logTicks, tickLabel } from '../../src/bench/model/chart-scale.ts';
import type { StepResult } from '../../src/bench/model/result.ts';
import { formatSweepMarkdown } from '../../src/bench/report/report-markdown.ts';
import { chartSteps, formatSweepSvg } from '../../src/bench/report/report-svg.ts';
import { formatTrafficText } from '../../src/bench/report/report-text.ts';
import type { TrafficSeries } from '../../src/bench/run.ts';

function step(clients: number, linesPerSecond: number, lossPercent: number): StepResult {
  const offered = linesPerSecond * (clients - 1);
  return {
    clients,
    senders: 10,
    linesPerSecond,
    durationS: 5,
    linesPlanned: linesPerSecond * 5,
    linesSent: linesPerSecond * 5,
    expectedDeliveries: offered * 5,
    offeredDeliveriesPerSecond: offered,
    onTime: offered * 5 * (1 - lossPercent / 100),
    late: 0,
    missing: (offered * 5 * lossPercent) / 100,
    lossPercent,
    deliveriesPerSecond: offered * (1 - lossPercent / 100),
    latencyMs: { p50: 0.5, p99: 2 + lossPercent, p999: 4 + lossPercent, max: 9 },
    outOfOrder: 0,
    duplicates: 0,
    stray: 0,
    sendErrors: 0,
    maxSendLagMs: 1,
    relayCpu: { ms: 1000, percentOfCore: 20, usPerDelivery: 2.5, systemMs: 800, systemUsPerDelivery: 2 },
    generatorCpu: { ms: 1500, percentOfCore: 30, workers: 2, busiestPercentOfCore: 15 },
    kernelUdpDrops: 0,
    machineCpu: { busyPercentOfCore: 70, softirqPercentOfCore: 5 },
  };
}

const SERIES: TrafficSeries[] = [
  {
    transport: 'udp',
    store: 'memory',
    clients: 10,
    senders: 10,
    relays: 1,
    redisOpsPerLine: null,
    relay: 'spawned',
    generatorReceive: 'node:dgram',
    failedJoins: 0,
    steps: [step(10, 2000, 0), step(10, 1000, 0), step(10, 3000, 4)],
    bestLinesPerSecond: 2000,
  },
  {
    transport: 'udp',
    store: 'memory',
    clients: 100,
    senders: 10,
    relays: 1,
    redisOpsPerLine: null,
    relay: 'spawned',
    generatorReceive: 'node:dgram',
    failedJoins: 0,
    steps: [step(100, 500, 0.5)],
    bestLinesPerSecond: 500,
  },
];

describe('reports', () => {
  it('the text report names every figure the issue asks for', () => {
    const text = formatTrafficText([{ ...(SERIES[1] as TrafficSeries), bestLinesPerSecond: null }]);
    for (const expected of [
      'lines sent          2,500 of 2,500 planned',
      'expected 247,500',
      'loss                0.50 %',
      'deliveries/s        49,253 (offered 49,500)',
      'p50 0.50 ms, p99 2.50 ms, p999 4.50 ms, max 9.00 ms',
      '0 out of order, 0 duplicates',
      '1.00 s (20 % of a core), 2.50 µs per delivery (2.00 of them in the kernel)',
      '1.50 s (30 % of a core over 2 workers, busiest 15 %)',
      '70 % of a core busy, 5 % in soft interrupts',
    ])
      assert.ok(text.includes(expected), `${expected}\n---\n${text}`);
  });

  it('the Markdown table has a row per step in rate order and the best rate per client count', () => {
    const md = formatSweepMarkdown(SERIES).split('\n');
    const rows = md.filter((l) => /^\| 10 \| 10 \|/.test(l));
    assert.deepEqual(
      rows.map((r) => r.split(' | ')[2]),
      ['1,000', '2,000', '3,000'],
    );
    assert.ok(md.includes('| 10 | 2,000 lines/s | 18,000 |'));
    assert.ok(md.includes('| 100 | 500 lines/s | 49,500 |'));
  });

  it('the SVG chart has one line per client count in each panel and escapes its title', () => {
    const svg = formatSweepSvg(SERIES, 'a < b & c');
    assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
    assert.equal(svg.match(/<polyline /g)?.length, 4);
    assert.ok(svg.includes('a &lt; b &amp; c'));
    assert.ok(svg.includes('10 clients') && svg.includes('100 clients'));
    assert.ok(!svg.includes('NaN'));
  });

  it('of a rate the sweep ran twice, the chart draws the better run', () => {
    const drawn = chartSteps([step(10, 3000, 4), step(10, 1000, 0), step(10, 3000, 0.5)]);
    assert.deepEqual(
      drawn.map((s) => [s.linesPerSecond, s.lossPercent]),
      [
        [1000, 0],
        [3000, 0.5],
      ],
    );
  });

  it('axis ticks are round numbers that cover the data', () => {
    assert.deepEqual(linearTicks(99_000), [0, 20_000, 40_000, 60_000, 80_000, 100_000]);
    assert.deepEqual(logTicks(0.3, 45), [0.1, 1, 10, 100]);
    assert.equal(tickLabel(20_000), '20k');
    assert.equal(tickLabel(1_500_000), '1.5M');
    assert.equal(tickLabel(0.1), '0.1');
  });
});
