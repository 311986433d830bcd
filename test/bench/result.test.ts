import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CollectReport, SendReport } from '../../src/bench/messages.ts';
import { LatencyHistogram } from '../../src/bench/model/histogram.ts';
import { lossPercent, percentOfCore, type StepInputs, summarizeStep } from '../../src/bench/model/result.ts';

function collect(onTime: number, late: number, latencies: readonly number[] = []): CollectReport {
  const h = new LatencyHistogram();
  for (const l of latencies) h.record(l);
  return {
    receipts: {
      onTime,
      late,
      duplicates: 1,
      outOfOrder: 2,
      invalid: 0,
      latency: h.toSparse(),
      maxLatencyUs: h.max,
    },
    stray: 3,
  };
}

function send(linesSent: number): SendReport {
  return { linesSent, linesPlanned: linesSent, maxLagUs: 1500, sendErrors: 0 };
}

const BASE: StepInputs = {
  clients: 11,
  senders: 2,
  linesPerSecond: 100,
  durationMs: 2000,
  windowMs: 2500,
  sends: [send(120), send(80)],
  collects: [collect(1500, 100, [100, 110, 120]), collect(300, 0, [150_000])],
  relayCpuMs: 500,
  relaySystemCpuMs: 400,
  workerCpuMs: [400, 600],
  kernelUdpDrops: 0,
  machineCpuMs: { busy: 1750, softirq: 125 },
};

describe('a step’s figures', () => {
  it('expects every line at every client but its sender', () => {
    const r = summarizeStep(BASE);
    assert.equal(r.linesSent, 200);
    assert.equal(r.expectedDeliveries, 2000);
    assert.equal(r.offeredDeliveriesPerSecond, 1000);
  });

  it('counts late deliveries as lost, and the rest that never came as missing', () => {
    const r = summarizeStep(BASE);
    assert.equal(r.onTime, 1800);
    assert.equal(r.late, 100);
    assert.equal(r.missing, 100);
    assert.equal(r.lossPercent, 10);
    assert.equal(r.deliveriesPerSecond, 900);
  });

  it('adds up duplicates, reordering and stragglers over workers', () => {
    const r = summarizeStep(BASE);
    assert.equal(r.duplicates, 2);
    assert.equal(r.outOfOrder, 4);
    assert.equal(r.stray, 6);
  });

  it('merges the workers’ latencies before taking percentiles', () => {
    const r = summarizeStep(BASE);
    assert.ok(r.latencyMs !== null);
    assert.equal(r.latencyMs.p50, 0.11);
    assert.equal(r.latencyMs.max, 150);
    assert.ok(Math.abs(r.latencyMs.p999 - 150) / 150 < 0.02, `p999 ${r.latencyMs.p999}: the slowest of four`);
    assert.ok(r.latencyMs.p99 <= r.latencyMs.p999);
    assert.equal(r.maxSendLagMs, 1.5);
  });

  it('gives the relay’s CPU per delivery received and both CPU times as a share of a core', () => {
    const r = summarizeStep(BASE);
    assert.deepEqual(r.relayCpu, {
      ms: 500,
      percentOfCore: 20,
      usPerDelivery: (500 * 1000) / 1900,
      systemMs: 400,
      systemUsPerDelivery: (400 * 1000) / 1900,
    });
    assert.equal(r.generatorCpu.percentOfCore, 40);
    assert.equal(r.generatorCpu.busiestPercentOfCore, 24);
    assert.deepEqual(r.machineCpu, { busyPercentOfCore: 70, softirqPercentOfCore: 5 });
  });

  it('has no relay CPU without a pid and no latency without deliveries', () => {
    const r = summarizeStep({ ...BASE, relayCpuMs: undefined, collects: [collect(0, 0)] });
    assert.equal(r.relayCpu, null);
    assert.equal(r.latencyMs, null);
    assert.equal(r.lossPercent, 100);
  });
});

describe('loss', () => {
  it('is 0 when nothing was expected', () => {
    assert.equal(lossPercent(0, 0), 0);
  });

  it('is the share of expected deliveries not on time', () => {
    assert.equal(lossPercent(1000, 990), 1);
    assert.equal(percentOfCore(250, 1000), 25);
  });
});
