/**
 * The last minute of scrapes, and rates from counter deltas. A counter that went down means the relay
 * restarted; as in Prometheus' rate(), its new value is then taken as the increase since the restart.
 */
import type { Labels, MetricSet } from './prometheus-text.ts';

export interface Scrape {
  /** Monotonic milliseconds when the scrape completed. */
  readonly at: number;
  readonly metrics: MetricSet;
}

/** 60 rates for a minute of sparkline need 61 scrapes. */
export const HISTORY_SCRAPES = 61;

export class ScrapeHistory {
  private readonly scrapes: Scrape[] = [];

  constructor(private readonly capacity: number = HISTORY_SCRAPES) {}

  push(scrape: Scrape): void {
    this.scrapes.push(scrape);
    if (this.scrapes.length > this.capacity) this.scrapes.shift();
  }

  get latest(): Scrape | undefined {
    return this.scrapes.at(-1);
  }

  /** Per-second rate over the last interval; undefined until two scrapes have the counter. */
  rate(name: string, labels: Labels = {}): number | undefined {
    const [previous, current] = this.scrapes.slice(-2);
    return previous === undefined || current === undefined
      ? undefined
      : rateBetween(previous, current, name, labels);
  }

  /** Per-second rate over up to the last `scrapes` intervals: steadier for rare events. */
  rateOver(name: string, labels: Labels, scrapes: number): number | undefined {
    const first = this.scrapes[Math.max(0, this.scrapes.length - 1 - scrapes)];
    const last = this.scrapes.at(-1);
    return first === undefined || last === undefined || first === last
      ? undefined
      : rateBetween(first, last, name, labels);
  }

  /** Every per-second rate the history holds, oldest first (gaps, where a scrape lacked it, as 0). */
  rates(name: string, labels: Labels = {}): number[] {
    const out: number[] = [];
    for (let i = 1; i < this.scrapes.length; i++) {
      const previous = this.scrapes[i - 1];
      const current = this.scrapes[i];
      if (previous !== undefined && current !== undefined)
        out.push(rateBetween(previous, current, name, labels) ?? 0);
    }
    return out;
  }
}

export function rateBetween(
  previous: Scrape,
  current: Scrape,
  name: string,
  labels: Labels,
): number | undefined {
  const before = previous.metrics.value(name, labels);
  const after = current.metrics.value(name, labels);
  const seconds = (current.at - previous.at) / 1000;
  if (after === undefined || seconds <= 0) return undefined;
  const increase = before === undefined || after < before ? after : after - before;
  return increase / seconds;
}
