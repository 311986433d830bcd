import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type DelaySampler,
  EventLoopLagMonitor,
  LagWindow,
  SAMPLE_RESOLUTION_MS,
  SLOT_MS,
  type SlotTicker,
} from '../../src/observability/metrics-loop-lag.ts';

/** A histogram a test fills by hand: intervals between samples in ns, as perf_hooks records them. */
class RecordedDelays implements DelaySampler {
  enabled = false;
  private intervals: number[] = [];

  enable(): void {
    this.enabled = true;
  }

  disable(): void {
    this.enabled = false;
  }

  reset(): void {
    this.intervals = [];
  }

  /** One sample that came `lateMs` after its due time. */
  late(lateMs: number): void {
    this.intervals.push((SAMPLE_RESOLUTION_MS + lateMs) * 1e6);
  }

  get count(): number {
    return this.intervals.length;
  }

  get max(): number {
    return Math.max(0, ...this.intervals);
  }

  percentile(percentile: number): number {
    const sorted = [...this.intervals].sort((a, b) => a - b);
    return sorted[Math.ceil((percentile / 100) * sorted.length) - 1] ?? 0;
  }
}

/** A ticker the test turns: each `fold()` is one slot ending. */
class ManualTicker {
  period = 0;
  stopped = false;
  fold: () => void = () => {};

  readonly ticker: SlotTicker = (fold, periodMs) => {
    this.fold = fold;
    this.period = periodMs;
    return () => {
      this.stopped = true;
    };
  };
}

function manualMonitor(): { monitor: EventLoopLagMonitor; delays: RecordedDelays; slots: ManualTicker } {
  const delays = new RecordedDelays();
  const slots = new ManualTicker();
  return { monitor: new EventLoopLagMonitor({ sampler: delays, ticker: slots.ticker }), delays, slots };
}

/** Blocks this thread (and so the event loop) for `ms`, without spinning on a clock. */
function blockLoop(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe('event-loop lag', () => {
  it('reports the worst p99 and the longest delay of the last slots', () => {
    const window = new LagWindow(3);
    assert.deepEqual(window.read(), { p99Ms: 0, maxMs: 0 });
    window.push({ p99Ms: 1, maxMs: 40 });
    window.push({ p99Ms: 5, maxMs: 6 });
    window.push({ p99Ms: 2, maxMs: 3 });
    assert.deepEqual(window.read(), { p99Ms: 5, maxMs: 40 });
    window.push({ p99Ms: 0.5, maxMs: 1 });
    assert.deepEqual(window.read(), { p99Ms: 5, maxMs: 6 }, 'the 40 ms slot aged out');
  });

  it('folds the samples into one slot a second, as lateness past the sampling period', () => {
    const { monitor, delays, slots } = manualMonitor();
    assert.equal(delays.enabled, true);
    assert.equal(slots.period, SLOT_MS);
    for (let i = 0; i < 99; i++) delays.late(0.5);
    delays.late(120);
    assert.deepEqual(monitor.read(), { p99Ms: 0, maxMs: 0 }, 'nothing before the slot ends');
    slots.fold();
    assert.deepEqual(monitor.read(), { p99Ms: 0.5, maxMs: 120 });
    assert.equal(delays.count, 0, 'the histogram starts again for the next slot');
  });

  it('skips a slot without samples, and forgets a delay ten slots later', () => {
    const { monitor, delays, slots } = manualMonitor();
    delays.late(80);
    slots.fold();
    slots.fold();
    assert.equal(monitor.read().maxMs, 80, 'an empty slot does not push the delay out');
    for (let slot = 0; slot < 10; slot++) {
      delays.late(1);
      slots.fold();
    }
    assert.deepEqual(monitor.read(), { p99Ms: 1, maxMs: 1 });
  });

  it('stops its ticker and its histogram', () => {
    const { monitor, delays, slots } = manualMonitor();
    monitor.stop();
    assert.equal(slots.stopped, true);
    assert.equal(delays.enabled, false);
  });

  it('on the real loop, a 120 ms block shows in the slot that ends after it', async () => {
    // The real histogram and a real one-second interval; the test only hears when a slot ends.
    let slotEnded: () => void = () => {};
    const ticker: SlotTicker = (fold, periodMs) => {
      const timer = setInterval(() => {
        fold();
        slotEnded();
      }, periodMs);
      return () => clearInterval(timer);
    };
    const monitor = new EventLoopLagMonitor({ ticker });
    // perf_hooks records an interval only between two of its samples, and starts over at each fold:
    // blocking every 200 ms guarantees a block with a sample on both sides inside every slot.
    const blocker = setInterval(() => blockLoop(120), 200);
    try {
      const seen = new Promise<void>((resolve, reject) => {
        const deadline = setTimeout(
          () => reject(new Error(`no slot saw the block: ${monitor.read().maxMs} ms`)),
          5_000,
        );
        slotEnded = () => {
          if (monitor.read().maxMs < 80) return;
          clearTimeout(deadline);
          resolve();
        };
      });
      await seen;
      assert.ok(monitor.read().maxMs >= 80);
    } finally {
      clearInterval(blocker);
      monitor.stop();
    }
  });
});
