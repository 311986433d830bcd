/**
 * Idle eviction (seed): every `sweepIntervalMs` the sessions silent for more than `idleTimeoutMs` are
 * dropped. A session seen exactly `idleTimeoutMs` ago is kept (the seed tests `last_seen < cutoff`).
 */
import type { Session, SessionTable } from './session-table.ts';

export interface IdleReaperOptions {
  readonly idleTimeoutMs: number;
  readonly sweepIntervalMs: number;
}

export class IdleReaper {
  private nextSweepAt: number;

  constructor(
    private readonly options: IdleReaperOptions,
    startedAt: number,
  ) {
    this.nextSweepAt = startedAt + options.sweepIntervalMs;
  }

  /** When the binding should next call the relay's tick. */
  get dueAt(): number {
    return this.nextSweepAt;
  }

  /** The sessions to evict at `now`, or none when no sweep is due yet. */
  sweep(now: number, sessions: SessionTable): Session[] {
    if (now < this.nextSweepAt) return [];
    // Catch up without sweeping repeatedly if the binding was late (e.g. a stalled event loop).
    while (this.nextSweepAt <= now) this.nextSweepAt += this.options.sweepIntervalMs;
    const cutoff = now - this.options.idleTimeoutMs;
    const stale: Session[] = [];
    for (const session of sessions.values()) if (session.lastSeen < cutoff) stale.push(session);
    return stale;
  }
}
