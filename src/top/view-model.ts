/**
 * What `udpchat top` shows, computed from the scrape history alone (no I/O, no clock of its own), so the
 * whole view is unit-tested from Prometheus text.
 */
import { METRIC } from '../observability/metrics-names.ts';
import type { ScrapeHistory } from './history.ts';
import type { MetricSet } from './prometheus-text.ts';

export type Unit = 'count' | 'bytes';

export interface RateRow {
  readonly label: string;
  readonly unit: Unit;
  /** Per second over the last interval; undefined until two scrapes. */
  readonly rate: number | undefined;
  readonly total: number | undefined;
  /** Per-second rates, oldest first, for the sparkline. */
  readonly history: readonly number[];
  /** Non-zero means trouble (send errors, throttling): the renderer highlights it. */
  readonly alarming: boolean;
}

export interface ReasonRow {
  readonly reason: string;
  readonly total: number;
  /** Per second over the last REFUSAL_RATE_SCRAPES intervals. */
  readonly rate: number | undefined;
}

export interface TalkerRow {
  readonly nick: string;
  readonly linesPerSecond: number;
}

export interface TopView {
  readonly source: string;
  /** Seconds between scrapes: one sparkline block each. */
  readonly intervalSeconds: number;
  /** Why the latest scrape failed, if it did. */
  readonly error: string | undefined;
  /** Whether any scrape ever succeeded (otherwise only the source and the error are meaningful). */
  readonly hasData: boolean;
  /** How old the figures are: 0 right after a scrape, growing while the relay does not answer. */
  readonly ageSeconds: number;
  readonly uptimeSeconds: number | undefined;
  readonly clients: number | undefined;
  readonly rooms: number | undefined;
  readonly joins: number | undefined;
  readonly evictions: number | undefined;
  readonly lagP99Ms: number | undefined;
  readonly lagMaxMs: number | undefined;
  readonly traffic: readonly RateRow[];
  readonly trouble: readonly RateRow[];
  readonly refusals: readonly ReasonRow[];
  readonly talkers: readonly TalkerRow[];
}

export interface ViewInput {
  readonly source: string;
  readonly history: ScrapeHistory;
  readonly error: string | undefined;
  /** Wall-clock Unix seconds, for the uptime. */
  readonly wallSeconds: number;
  /** Monotonic milliseconds, the clock of `Scrape.at`. */
  readonly now: number;
  readonly intervalSeconds: number;
}

interface RowSpec {
  readonly label: string;
  readonly metric: string;
  readonly unit: Unit;
  readonly alarming?: boolean;
}

const TRAFFIC: readonly RowSpec[] = [
  { label: 'datagrams in', metric: METRIC.datagramsIn, unit: 'count' },
  { label: 'datagrams out', metric: METRIC.datagramsOut, unit: 'count' },
  { label: 'bytes in', metric: METRIC.bytesIn, unit: 'bytes' },
  { label: 'bytes out', metric: METRIC.bytesOut, unit: 'bytes' },
  { label: 'lines relayed', metric: METRIC.linesRelayed, unit: 'count' },
  { label: 'deliveries', metric: METRIC.deliveries, unit: 'count' },
];

const TROUBLE: readonly RowSpec[] = [
  { label: 'send errors', metric: METRIC.sendErrors, unit: 'count', alarming: true },
  { label: 'throttled', metric: METRIC.throttled, unit: 'count', alarming: true },
];

export function buildView(input: ViewInput): TopView {
  const latest = input.history.latest?.metrics;
  const started = latest?.value(METRIC.startTime);
  return {
    source: input.source,
    intervalSeconds: input.intervalSeconds,
    error: input.error,
    hasData: latest !== undefined,
    ageSeconds: Math.max(0, (input.now - (input.history.latest?.at ?? input.now)) / 1000),
    uptimeSeconds: started === undefined ? undefined : Math.max(0, input.wallSeconds - started),
    clients: latest?.value(METRIC.clients),
    rooms: latest?.value(METRIC.rooms),
    joins: latest?.value(METRIC.joins),
    evictions: latest?.value(METRIC.evictions),
    lagP99Ms: millis(latest?.value(METRIC.eventLoopLag, { stat: 'p99' })),
    lagMaxMs: millis(latest?.value(METRIC.eventLoopLag, { stat: 'max' })),
    traffic: TRAFFIC.map((spec) => rateRow(spec, input.history)),
    trouble: TROUBLE.map((spec) => rateRow(spec, input.history)),
    refusals: latest === undefined ? [] : refusalRows(latest, input.history),
    talkers: latest === undefined ? [] : talkerRows(latest),
  };
}

function rateRow(spec: RowSpec, history: ScrapeHistory): RateRow {
  return {
    label: spec.label,
    unit: spec.unit,
    rate: history.rate(spec.metric),
    total: history.latest?.metrics.value(spec.metric),
    history: history.rates(spec.metric),
    alarming: spec.alarming === true,
  };
}

/** Rare events (refusals) are rated over this many intervals rather than one, so the figure holds still. */
export const REFUSAL_RATE_SCRAPES = 10;

/** Reasons that ever happened, most frequent first (by total: rows that swapped every second are unreadable). */
function refusalRows(latest: MetricSet, history: ScrapeHistory): ReasonRow[] {
  return latest
    .series(METRIC.refusals)
    .filter((sample) => sample.value > 0 && sample.labels.reason !== undefined)
    .map((sample) => {
      const reason = sample.labels.reason ?? '';
      return {
        reason,
        total: sample.value,
        rate: history.rateOver(METRIC.refusals, { reason }, REFUSAL_RATE_SCRAPES),
      };
    })
    .sort((a, b) => b.total - a.total || a.reason.localeCompare(b.reason));
}

function talkerRows(latest: MetricSet): TalkerRow[] {
  return latest
    .series(METRIC.topTalkers)
    .filter((sample) => sample.labels.nick !== undefined && sample.value > 0)
    .map((sample) => ({ nick: sample.labels.nick ?? '', linesPerSecond: sample.value }))
    .sort((a, b) => b.linesPerSecond - a.linesPerSecond || a.nick.localeCompare(b.nick));
}

function millis(value: number | undefined): number | undefined {
  return value === undefined ? undefined : value * 1000;
}
