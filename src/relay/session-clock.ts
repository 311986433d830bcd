/**
 * Session timestamps as small integers. The binding's clock (`performance.now()`) has a fraction, and a
 * field holding a fractional number costs a session a separate 16-byte heap number per timestamp (Node 20
 * has no pointer compression). Whole milliseconds counted from an origin near the present stay small
 * integers, which V8 stores inside the object itself.
 *
 * A stamp is `floor(now) - origin`. Times read back are whole milliseconds: at most 1 ms earlier than the
 * `now` they were stamped with, and exact for a whole-millisecond (fake) clock. The origin moves forward
 * every REBASE_AFTER_MS (SessionTable shifts every stored stamp by the same amount), so stamps of anything
 * heard in the last ~6 days stay within 31 bits whatever the uptime. Older stamps stay exact, only larger.
 */

/** 2^29 ms, about 6.2 days: stamps stay within ±2^30, a small integer even with 31-bit small integers. */
export const REBASE_AFTER_MS = 2 ** 29;

export class SessionClock {
  private origin = 0;

  /** The stamp of `now`. */
  stamp(now: number): number {
    return Math.floor(now) - this.origin;
  }

  /** The time (ms, the binding's clock) a stamp stands for. */
  time(stamp: number): number {
    return this.origin + stamp;
  }

  /** `time` in stamp units, exact (no rounding): for comparing stored stamps with a deadline. */
  relative(time: number): number {
    return time - this.origin;
  }

  /** Whether `now` is far enough from the origin that stamps would grow too large. */
  isDue(now: number): boolean {
    return now - this.origin >= REBASE_AFTER_MS;
  }

  /** Moves the origin to `now`; returns the shift every stored stamp must be reduced by. */
  rebase(now: number): number {
    const shift = Math.floor(now) - this.origin;
    this.origin += shift;
    return shift;
  }
}
