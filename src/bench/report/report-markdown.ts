/**
 * The sweep as Markdown: every step of every series, then the highest rate with under 1 % loss. CPU is in
 * % of one core over the step's window; "other load" is machine busy time neither the relay nor the
 * generator used (other processes, soft interrupts outside them).
 */

import type { StepResult } from '../model/result.ts';
import type { TrafficSeries } from '../run.ts';
import { ms, num, otherLoad } from './report-text.ts';

const STEP_HEADER =
  '| Clients | Senders | Lines/s | Offered deliveries/s | On-time deliveries/s | Loss % | p50 | p99 | p999 | Max | ' +
  'Relay CPU % | Relay µs/delivery | Generator CPU % | Other load % |';

export function formatSweepMarkdown(series: readonly TrafficSeries[]): string {
  const rows = series.flatMap((s) =>
    [...s.steps].sort((a, b) => a.linesPerSecond - b.linesPerSecond).map(stepRow),
  );
  const best = series.map(bestRow);
  return [
    STEP_HEADER,
    `|${'---:|'.repeat(14)}`,
    ...rows,
    '',
    '| Clients | Highest rate with < 1 % loss | Deliveries/s at that rate |',
    '|---:|---:|---:|',
    ...best,
    '',
  ].join('\n');
}

function stepRow(r: StepResult): string {
  const latency = r.latencyMs;
  const cells = [
    num(r.clients),
    num(r.senders),
    num(r.linesPerSecond),
    num(r.offeredDeliveriesPerSecond),
    num(r.deliveriesPerSecond),
    r.lossPercent.toFixed(2),
    latency === null ? '-' : ms(latency.p50),
    latency === null ? '-' : ms(latency.p99),
    latency === null ? '-' : ms(latency.p999),
    latency === null ? '-' : ms(latency.max),
    r.relayCpu === null ? '-' : r.relayCpu.percentOfCore.toFixed(0),
    r.relayCpu?.usPerDelivery == null ? '-' : r.relayCpu.usPerDelivery.toFixed(2),
    r.generatorCpu.percentOfCore.toFixed(0),
    formatOther(otherLoad(r)),
  ];
  return `| ${cells.join(' | ')} |`;
}

/** Other work on the machine during the step (CPU % of a core): a disturbed step shows here. */
function formatOther(value: number | null): string {
  return value === null ? '-' : Math.max(0, value).toFixed(0);
}

function bestRow(s: TrafficSeries): string {
  if (s.bestLinesPerSecond === null) return `| ${num(s.clients)} | none of the rates tried | - |`;
  const lines = s.bestLinesPerSecond;
  return `| ${num(s.clients)} | ${num(lines)} lines/s | ${num(lines * (s.clients - 1))} |`;
}
