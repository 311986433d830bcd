/**
 * The timer that runs retention (pruner.ts) against the file: one small transaction a second, sooner
 * while there is a backlog to work off. A failed step is reported (it loses nothing: the lines simply stay
 * until the next step) and the timer goes on.
 */
import type { StoreFailure } from '../../relay/store.ts';
import { PRUNE_BATCH, PRUNE_CATCH_UP_MS } from '../limits.ts';
import type { Retention } from '../retention.ts';
import type { CancelTimer, Scheduler, WallClock } from '../scheduler.ts';
import type { SqliteDatabase } from './open-database.ts';
import { type PrunedTable, pruneStep } from './pruner.ts';

export interface RetentionSettings {
  readonly db: SqliteDatabase;
  readonly tables: readonly PrunedTable[];
  readonly retention: Retention;
  readonly intervalMs: number;
  readonly scheduler: Scheduler;
  readonly clock: WallClock;
  /** The failure to report for a step that threw. */
  readonly failure: (error: unknown, retryInMs: number) => StoreFailure;
  readonly failed: (failure: StoreFailure) => void;
}

export class RetentionTimer {
  /** Lines removed so far. */
  pruned = 0;
  private timer: CancelTimer | null = null;
  private stopped = false;

  constructor(private readonly settings: RetentionSettings) {
    this.arm(settings.intervalMs);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.();
    this.timer = null;
  }

  private arm(delayMs: number): void {
    if (this.stopped) return;
    this.timer = this.settings.scheduler.after(delayMs, () => {
      const removed = this.step();
      this.arm(removed >= PRUNE_BATCH ? PRUNE_CATCH_UP_MS : this.settings.intervalMs);
    });
  }

  private step(): number {
    const { db, tables, retention, clock } = this.settings;
    try {
      const now = clock();
      const step = db.transaction(() => pruneStep(tables, retention, now, PRUNE_BATCH))();
      step.apply();
      this.pruned += step.removed;
      return step.removed;
    } catch (error) {
      this.settings.failed(this.settings.failure(error, this.settings.intervalMs));
      return 0;
    }
  }
}
