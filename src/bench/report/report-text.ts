/** The human-readable report of a traffic run: one block per step, figures with their units. */

import type { StepResult } from '../model/result.ts';
import type { TrafficSeries } from '../run.ts';

/** Other work on the machine above this (% of a core) may have disturbed the step. */
const OTHER_LOAD_PERCENT = 20;
/** A worker this busy is probably holding the generator back: its figures are then a lower bound. */
const SATURATED_PERCENT = 90;

export function formatTrafficText(series: readonly TrafficSeries[]): string {
  return series.map(formatSeries).join('\n');
}

function formatSeries(s: TrafficSeries): string {
  const lines = [`relay: ${s.relay}`, `store: ${s.store}`, `generator receive: ${s.generatorReceive}`];
  if (s.redisOpsPerLine !== null) lines.push(`redis: ${s.redisOpsPerLine.toFixed(2)} commands per line sent`);
  if (s.failedJoins > 0) lines.push(`warning: ${s.failedJoins} clients could not join`);
  for (const step of s.steps) lines.push(...formatStep(step), '');
  if (s.bestLinesPerSecond !== null || s.steps.length > 1) lines.push(formatBest(s));
  return `${lines.join('\n').trimEnd()}\n`;
}

function formatBest(s: TrafficSeries): string {
  if (s.bestLinesPerSecond === null) return `highest rate with < 1 % loss: none of the rates tried`;
  const deliveries = s.bestLinesPerSecond * (s.clients - 1);
  return `highest rate with < 1 % loss: ${num(s.bestLinesPerSecond)} lines/s (${num(deliveries)} deliveries/s)`;
}

export function formatStep(r: StepResult): string[] {
  const lines = [
    `${num(r.clients)} clients, ${num(r.senders)} senders, ${num(r.linesPerSecond)} lines/s for ${r.durationS} s`,
    `  lines sent          ${num(r.linesSent)} of ${num(r.linesPlanned)} planned` +
      (r.sendErrors > 0 ? ` (${num(r.sendErrors)} send errors)` : ''),
    `  deliveries          expected ${num(r.expectedDeliveries)}, on time ${num(r.onTime)}, ` +
      `late (> 100 ms) ${num(r.late)}, missing ${num(r.missing)}`,
    `  loss                ${r.lossPercent.toFixed(2)} %`,
    `  deliveries/s        ${num(r.deliveriesPerSecond)} (offered ${num(r.offeredDeliveriesPerSecond)})`,
    `  latency (one-way)   ${formatLatency(r)}`,
    `  order               ${num(r.outOfOrder)} out of order, ${num(r.duplicates)} duplicates` +
      (r.stray > 0 ? `, ${num(r.stray)} stray` : ''),
    `  relay CPU           ${formatRelayCpu(r)}`,
    `  generator CPU       ${formatGeneratorCpu(r)}`,
  ];
  if (r.machineCpu !== null)
    lines.push(
      `  machine CPU         ${r.machineCpu.busyPercentOfCore.toFixed(0)} % of a core busy, ` +
        `${r.machineCpu.softirqPercentOfCore.toFixed(0)} % in soft interrupts (all processes)`,
    );
  if (r.kernelUdpDrops !== null) lines.push(`  kernel UDP drops    ${num(r.kernelUdpDrops)} (whole machine)`);
  const other = otherLoad(r);
  if (other !== null && other > OTHER_LOAD_PERCENT)
    lines.push(`  warning: about ${other.toFixed(0)} % of a core went to other work on this machine`);
  if (r.generatorCpu.busiestPercentOfCore >= SATURATED_PERCENT)
    lines.push('  warning: a generator worker was nearly saturated; try --workers or fewer clients');
  return lines;
}

/** Machine busy time that neither the relay nor the generator accounts for (soft interrupts aside). */
export function otherLoad(r: StepResult): number | null {
  if (r.machineCpu === null || r.relayCpu === null) return null;
  return r.machineCpu.busyPercentOfCore - r.relayCpu.percentOfCore - r.generatorCpu.percentOfCore;
}

function formatLatency(r: StepResult): string {
  if (r.latencyMs === null) return 'nothing received';
  const { p50, p99, p999, max } = r.latencyMs;
  return `p50 ${ms(p50)}, p99 ${ms(p99)}, p999 ${ms(p999)}, max ${ms(max)}`;
}

function formatRelayCpu(r: StepResult): string {
  if (r.relayCpu === null) return 'unknown (no pid: use --spawn, --relay-cmd or --relay-pid)';
  const kernel = r.relayCpu.systemUsPerDelivery;
  const split = kernel === null ? '' : ` (${kernel.toFixed(2)} of them in the kernel)`;
  const perDelivery =
    r.relayCpu.usPerDelivery === null
      ? ''
      : `, ${r.relayCpu.usPerDelivery.toFixed(2)} µs per delivery${split}`;
  return `${(r.relayCpu.ms / 1000).toFixed(2)} s (${r.relayCpu.percentOfCore.toFixed(0)} % of a core)${perDelivery}`;
}

function formatGeneratorCpu(r: StepResult): string {
  const g = r.generatorCpu;
  return (
    `${(g.ms / 1000).toFixed(2)} s (${g.percentOfCore.toFixed(0)} % of a core over ${g.workers} workers, ` +
    `busiest ${g.busiestPercentOfCore.toFixed(0)} %), max send lag ${ms(r.maxSendLagMs)}`
  );
}

export function ms(value: number): string {
  return value >= 100
    ? `${value.toFixed(0)} ms`
    : value >= 10
      ? `${value.toFixed(1)} ms`
      : `${value.toFixed(2)} ms`;
}

export function num(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
