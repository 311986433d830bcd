/**
 * The polling loop of `udpchat top`: scrape, remember, build the view, hand it to a display. A failed
 * scrape is shown and retried on the next beat; the loop keeps a steady beat (no drift from slow scrapes).
 */
import { performance } from 'node:perf_hooks';
import { ScrapeHistory } from './history.ts';
import { describeScrapeError, scrapeMetrics } from './scrape.ts';
import { buildView, type TopView } from './view-model.ts';

export interface MonitorOptions {
  readonly url: string;
  readonly intervalMs: number;
}

export class Monitor {
  private readonly history = new ScrapeHistory();
  private error: string | undefined;
  private last: TopView;

  constructor(private readonly options: MonitorOptions) {
    this.last = this.view();
  }

  /** The latest view (e.g. to redraw after a terminal resize without scraping again). */
  get current(): TopView {
    return this.last;
  }

  async poll(stop?: AbortSignal): Promise<TopView> {
    try {
      // A scrape may take at most one beat, so a stuck relay never piles up requests.
      const timeoutMs = Math.max(200, this.options.intervalMs - 50);
      const metrics = await scrapeMetrics(this.options.url, timeoutMs, stop);
      this.history.push({ at: performance.now(), metrics });
      this.error = undefined;
    } catch (error) {
      this.error = describeScrapeError(error);
    }
    this.last = this.view();
    return this.last;
  }

  /** Polls every `intervalMs` and calls `show` with each view until `signal` aborts. */
  async run(show: (view: TopView) => void, signal: AbortSignal): Promise<void> {
    const start = performance.now();
    for (let beat = 0; !signal.aborted; beat++) {
      const view = await this.poll(signal);
      if (signal.aborted) return;
      show(view);
      const next = start + (beat + 1) * this.options.intervalMs;
      await sleep(Math.max(0, next - performance.now()), signal);
    }
  }

  private view(): TopView {
    return buildView({
      source: this.options.url,
      history: this.history,
      error: this.error,
      wallSeconds: Date.now() / 1000,
      now: performance.now(),
      intervalSeconds: this.options.intervalMs / 1000,
    });
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
