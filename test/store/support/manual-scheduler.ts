/**
 * A Scheduler on a clock that moves only when a test says so: the store's commit, retry and retention
 * timers run when `advance` passes their time, in time order, so a test never sleeps.
 */
import type { CancelTimer, Scheduler } from '../../../src/store/scheduler.ts';

interface Timer {
  readonly at: number;
  readonly order: number;
  readonly run: () => void;
  cancelled: boolean;
}

/** More timers than this in one advance means a timer keeps re-arming itself at no delay: a bug. */
const MAX_TIMERS_PER_ADVANCE = 100_000;

export class ManualScheduler implements Scheduler {
  now = 0;
  private timers: Timer[] = [];
  private order = 0;

  after(ms: number, run: () => void): CancelTimer {
    const timer: Timer = { at: this.now + Math.max(0, ms), order: this.order++, run, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Timers armed and not yet run or cancelled. */
  get armed(): number {
    return this.timers.filter((timer) => !timer.cancelled).length;
  }

  /** Moves the clock `ms` forward, running every timer that falls due (including ones armed meanwhile). */
  advance(ms: number): void {
    const until = this.now + ms;
    for (let ran = 0; ; ran++) {
      if (ran > MAX_TIMERS_PER_ADVANCE) throw new Error('timers keep re-arming without delay');
      this.timers = this.timers.filter((timer) => !timer.cancelled);
      const next = this.timers.reduce<Timer | undefined>(
        (soonest, timer) =>
          timer.at <= until &&
          (soonest === undefined ||
            timer.at < soonest.at ||
            (timer.at === soonest.at && timer.order < soonest.order))
            ? timer
            : soonest,
        undefined,
      );
      if (next === undefined) break;
      this.now = next.at;
      next.cancelled = true;
      next.run();
    }
    this.now = until;
  }
}

/** A wall clock a test sets by hand. */
export class ManualClock {
  now = 1_800_000_000_000;

  readonly read = (): number => this.now;
}
