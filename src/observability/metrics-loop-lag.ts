/**
 * Event-loop lag: how late the loop runs a timer, i.e. how long a datagram can sit in the kernel queue
 * before the relay looks at it. perf_hooks samples it in C++ (no JS on the hot path); once a second we
 * fold the histogram into a slot and keep the last ten, so every scraper sees the same last-10-s figures
 * however many scrapers there are and however often they come.
 */
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

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

const SAMPLE_RESOLUTION_MS = 10;
const SLOT_MS = 1_000;
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

export class EventLoopLagMonitor {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({
    resolution: SAMPLE_RESOLUTION_MS,
  });
  private readonly window = new LagWindow();
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.histogram.enable();
    this.timer = setInterval(() => this.fold(), SLOT_MS);
    // Measuring must never keep a stopping relay alive.
    this.timer.unref();
  }

  read(): LagReading {
    return this.window.read();
  }

  stop(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }

  private fold(): void {
    if (this.histogram.count > 0) {
      this.window.push({
        p99Ms: lateness(this.histogram.percentile(99)),
        maxMs: lateness(this.histogram.max),
      });
    }
    this.histogram.reset();
  }
}

/** The histogram holds whole intervals between samples (ns); lag is what exceeds the sampling period. */
function lateness(intervalNs: number): number {
  return Math.max(0, intervalNs / 1e6 - SAMPLE_RESOLUTION_MS);
}
