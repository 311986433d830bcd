/** The figures of a failover run: exact percentiles of a few dozen times (no histogram needed). */

export interface TimeSummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** The nearest-rank percentile (the smallest value with at least p % of the values at or below it). */
export function nearestRank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('no values');
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/** p50, p99 and max of `times` in ms, rounded to 1 ms; null when there is none. */
export function summarizeTimes(times: readonly number[]): TimeSummary | null {
  if (times.length === 0) return null;
  const sorted = [...times].sort((a, b) => a - b);
  const round = (ms: number): number => Math.round(ms);
  return {
    count: sorted.length,
    p50Ms: round(nearestRank(sorted, 50)),
    p99Ms: round(nearestRank(sorted, 99)),
    maxMs: round(sorted[sorted.length - 1] as number),
  };
}
