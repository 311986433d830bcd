/**
 * Event-loop lag: how late the loop runs a timer, i.e. how long a datagram can sit in the kernel queue
 * before the relay looks at it. perf_hooks samples it in C++ (no JS on the hot path); once a second we
 * fold the histogram into a slot and keep the last ten, so every scraper sees the same last-10-s figures
 * however many scrapers there are and however often they come.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface LagSlot {
  readonly p99Ms: number;
  readonly maxMs: number;
}

export interface LagReading {
  /** The worst per-second 99th percentile in the window. */
  readonly p99Ms: number;
  /** The single longest delay in the window. */
  readonly maxMs: number;
}

/** How often perf_hooks samples the loop; lag is what a sample's interval exceeds this by. */
export const SAMPLE_RESOLUTION_MS = 10;
export const SLOT_MS = 1_000;
const SLOTS = 10;

/** The pure part: a ring of per-second slots. */
export class LagWindow {
  private readonly slots: LagSlot[] = [];

  constructor(private readonly size: number = SLOTS) {}

  push(slot: LagSlot): void {
    this.slots.push(slot);
    if (this.slots.length > this.size) this.slots.shift();
  }

  read(): LagReading {
    let p99Ms = 0;
    let maxMs = 0;
    for (const slot of this.slots) {
      p99Ms = Math.max(p99Ms, slot.p99Ms);
      maxMs = Math.max(maxMs, slot.maxMs);
    }
    return { p99Ms, maxMs };
  }
}

/**
 * The loop's delays as Node's histogram (perf_hooks) keeps them; a test gives its own, so the folding
 * is checked without waiting for a real loop to be late.
 */
export interface DelaySampler {
  enable(): unknown;
  disable(): unknown;
  reset(): void;
  /** Samples since the last reset. */
  readonly count: number;
  /** Nanoseconds between samples. */
  readonly max: number;
  percentile(percentile: number): number;
}

/** Calls `fold` every `periodMs` until the returned stop function is called. */
export type SlotTicker = (fold: () => void, periodMs: number) => () => void;

export interface LagMonitorOptions {
  readonly sampler?: DelaySampler;
  readonly ticker?: SlotTicker;
}

/** A real interval that never keeps a stopping relay alive. */
const intervalTicker: SlotTicker = (fold, periodMs) => {
  const timer = setInterval(fold, periodMs);
  timer.unref();
  return () => clearInterval(timer);
};

export class EventLoopLagMonitor {
  private readonly sampler: DelaySampler;
  private readonly window = new LagWindow();
  private readonly stopTicker: () => void;

  constructor(options: LagMonitorOptions = {}) {
    this.sampler = options.sampler ?? monitorEventLoopDelay({ resolution: SAMPLE_RESOLUTION_MS });
    this.sampler.enable();
    this.stopTicker = (options.ticker ?? intervalTicker)(() => this.fold(), SLOT_MS);
  }

  read(): LagReading {
    return this.window.read();
  }

  stop(): void {
    this.stopTicker();
    this.sampler.disable();
  }

  private fold(): void {
    if (this.sampler.count > 0) {
      this.window.push({
        p99Ms: lateness(this.sampler.percentile(99)),
        maxMs: lateness(this.sampler.max),
      });
    }
    this.sampler.reset();
  }
}

/** The histogram holds whole intervals between samples (ns); lag is what exceeds the sampling period. */
function lateness(intervalNs: number): number {
  return Math.max(0, intervalNs / 1e6 - SAMPLE_RESOLUTION_MS);
}
