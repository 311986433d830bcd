/**
 * One bench step's figures, computed from what the workers and /proc reported. Pure: the arithmetic of
 * loss (with the 100 ms lateness rule), rates and CPU cost lives here and is unit-tested.
 */

import type { CollectReport, SendReport } from '../messages.ts';
import { LatencyHistogram } from './histogram.ts';

export interface CpuFigures {
  readonly ms: number;
  /** CPU time over the step's wall time: 100 is one core busy all the time. */
  readonly percentOfCore: number;
}

export interface StepResult {
  readonly clients: number;
  readonly senders: number;
  readonly linesPerSecond: number;
  readonly durationS: number;
  readonly linesPlanned: number;
  readonly linesSent: number;
  /** The relay never echoes a line to its sender, so each line is due at every other client. */
  readonly expectedDeliveries: number;
  /** Expected deliveries per second of sending (the lines actually sent, times N - 1). */
  readonly offeredDeliveriesPerSecond: number;
  readonly onTime: number;
  readonly late: number;
  readonly missing: number;
  /** (late + missing) / expected, in percent: a delivery more than 100 ms late counts as lost. */
  readonly lossPercent: number;
  /** On-time deliveries per second of sending. */
  readonly deliveriesPerSecond: number;
  readonly latencyMs: {
    readonly p50: number;
    readonly p99: number;
    /** The 99.9th percentile: with 100 senders the tail past p99 is where a stalled turn of a loop shows. */
    readonly p999: number;
    readonly max: number;
  } | null;
  readonly outOfOrder: number;
  readonly duplicates: number;
  /** Lines that could not belong to the step, plus stragglers of earlier steps. */
  readonly stray: number;
  readonly sendErrors: number;
  readonly maxSendLagMs: number;
  readonly relayCpu:
    | (CpuFigures & {
        readonly usPerDelivery: number | null;
        /** The kernel's part (system time): on loopback a delivery's copy and wake-up run in the sender. */
        readonly systemMs: number | null;
        readonly systemUsPerDelivery: number | null;
      })
    | null;
  readonly generatorCpu: CpuFigures & { readonly workers: number; readonly busiestPercentOfCore: number };
  readonly kernelUdpDrops: number | null;
  /**
   * The whole machine over the window (100 = one core): shows kernel time charged to no process (soft
   * interrupts deliver loopback datagrams) and any load from outside the bench.
   */
  readonly machineCpu: { readonly busyPercentOfCore: number; readonly softirqPercentOfCore: number } | null;
}

export interface StepInputs {
  readonly clients: number;
  readonly senders: number;
  readonly linesPerSecond: number;
  readonly durationMs: number;
  /** Wall time of the measured window (sending plus the drain), for CPU percentages. */
  readonly windowMs: number;
  readonly sends: readonly SendReport[];
  readonly collects: readonly CollectReport[];
  readonly relayCpuMs: number | undefined;
  /** The system (kernel) part of relayCpuMs, when known. */
  readonly relaySystemCpuMs?: number | undefined;
  /** Each worker's CPU time in the window. */
  readonly workerCpuMs: readonly number[];
  readonly kernelUdpDrops: number | undefined;
  /** Whole-machine busy and soft-interrupt CPU time in the window (ms, all cores). */
  readonly machineCpuMs: { readonly busy: number; readonly softirq: number } | undefined;
}

export function summarizeStep(input: StepInputs): StepResult {
  const linesSent = sum(input.sends.map((s) => s.linesSent));
  const expected = linesSent * Math.max(0, input.clients - 1);
  const totals = receiptTotals(input.collects);
  const durationS = input.durationMs / 1000;
  const received = totals.onTime + totals.late;
  return {
    clients: input.clients,
    senders: input.senders,
    linesPerSecond: input.linesPerSecond,
    durationS,
    linesPlanned: sum(input.sends.map((s) => s.linesPlanned)),
    linesSent,
    expectedDeliveries: expected,
    offeredDeliveriesPerSecond: durationS > 0 ? expected / durationS : 0,
    onTime: totals.onTime,
    late: totals.late,
    missing: Math.max(0, expected - received),
    lossPercent: lossPercent(expected, totals.onTime),
    deliveriesPerSecond: durationS > 0 ? totals.onTime / durationS : 0,
    latencyMs: latencyFigures(totals.histogram),
    outOfOrder: totals.outOfOrder,
    duplicates: totals.duplicates,
    stray: totals.stray,
    sendErrors: sum(input.sends.map((s) => s.sendErrors)),
    maxSendLagMs: Math.max(0, ...input.sends.map((s) => s.maxLagUs)) / 1000,
    relayCpu: relayCpu(input.relayCpuMs, input.relaySystemCpuMs, input.windowMs, received),
    generatorCpu: generatorCpu(input.workerCpuMs, input.windowMs),
    kernelUdpDrops: input.kernelUdpDrops ?? null,
    machineCpu:
      input.machineCpuMs === undefined
        ? null
        : {
            busyPercentOfCore: percentOfCore(input.machineCpuMs.busy, input.windowMs),
            softirqPercentOfCore: percentOfCore(input.machineCpuMs.softirq, input.windowMs),
          },
  };
}

/** Everything not delivered on time is lost; nothing expected means nothing lost. */
export function lossPercent(expected: number, onTime: number): number {
  if (expected <= 0) return 0;
  return (Math.max(0, expected - onTime) * 100) / expected;
}

export function percentOfCore(cpuMs: number, wallMs: number): number {
  return wallMs > 0 ? (cpuMs * 100) / wallMs : 0;
}

interface ReceiptTotals {
  readonly histogram: LatencyHistogram;
  readonly onTime: number;
  readonly late: number;
  readonly duplicates: number;
  readonly outOfOrder: number;
  readonly stray: number;
}

function receiptTotals(collects: readonly CollectReport[]): ReceiptTotals {
  const histogram = new LatencyHistogram();
  let onTime = 0;
  let late = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  let stray = 0;
  for (const { receipts, stray: stragglers } of collects) {
    onTime += receipts.onTime;
    late += receipts.late;
    duplicates += receipts.duplicates;
    outOfOrder += receipts.outOfOrder;
    stray += stragglers + receipts.invalid;
    histogram.mergeSparse(receipts.latency, receipts.maxLatencyUs);
  }
  return { histogram, onTime, late, duplicates, outOfOrder, stray };
}

function latencyFigures(histogram: LatencyHistogram): StepResult['latencyMs'] {
  const p50 = histogram.percentile(50);
  const p99 = histogram.percentile(99);
  const p999 = histogram.percentile(99.9);
  if (p50 === undefined || p99 === undefined || p999 === undefined) return null;
  return { p50: p50 / 1000, p99: p99 / 1000, p999: p999 / 1000, max: histogram.max / 1000 };
}

function relayCpu(
  cpuMs: number | undefined,
  systemMs: number | undefined,
  windowMs: number,
  received: number,
): StepResult['relayCpu'] {
  if (cpuMs === undefined) return null;
  const perDelivery = (ms: number): number | null => (received > 0 ? (ms * 1000) / received : null);
  return {
    ms: cpuMs,
    percentOfCore: percentOfCore(cpuMs, windowMs),
    usPerDelivery: perDelivery(cpuMs),
    systemMs: systemMs ?? null,
    systemUsPerDelivery: systemMs === undefined ? null : perDelivery(systemMs),
  };
}

function generatorCpu(workerCpuMs: readonly number[], windowMs: number): StepResult['generatorCpu'] {
  const ms = sum(workerCpuMs);
  return {
    ms,
    percentOfCore: percentOfCore(ms, windowMs),
    workers: workerCpuMs.length,
    busiestPercentOfCore: percentOfCore(Math.max(0, ...workerCpuMs), windowMs),
  };
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
