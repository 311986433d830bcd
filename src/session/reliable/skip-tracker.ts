/**
 * The sender's side of give-up (docs/PROTOCOL-v2.md, "Give-up"): once a line is abandoned, SKIP rides in
 * every DATA until the peer's `ack next` passes the highest abandoned line. SKIP is cumulative ("gave up on
 * every line before seq"), so one pending SKIP covers any number of abandoned lines and the state is O(1).
 *
 * SKIP is also sent on its own timer: a sender with nothing else to send must still tell the peer, or the
 * peer would report the gap only when a later line happens to come. That timer backs off like a line's.
 */
import type { SkipFrame } from '../../protocol/v2/frames.ts';

export interface PendingSkip {
  readonly frame: SkipFrame;
  /** True when a DATA must go out for this SKIP alone (new give-up, or its timer expired). */
  readonly due: boolean;
}

export class SkipTracker {
  /** The highest `ack next` the peer has sent: every line below it was received or skipped. */
  #peerNext = 0;
  #highestAbandoned = -1;
  #due = false;
  #deadline: number | null = null;
  #timeouts = 0;

  get peerNext(): number {
    return this.#peerNext;
  }

  /** The pending SKIP's retransmission time, or null. */
  get deadline(): number | null {
    return this.#deadline;
  }

  /** How many times the SKIP timer expired since the last give-up (the back-off exponent). */
  get timeouts(): number {
    return this.#timeouts;
  }

  onAbandon(seq: number): void {
    this.#highestAbandoned = Math.max(this.#highestAbandoned, seq);
    this.#due = true;
    this.#deadline = null;
    this.#timeouts = 0;
  }

  /** Acks may arrive out of order: only a higher `ack next` moves the peer forward. */
  onPeerNext(next: number): void {
    this.#peerNext = Math.max(this.#peerNext, next);
    if (this.#peerNext > this.#highestAbandoned) {
      this.#due = false;
      this.#deadline = null;
      this.#timeouts = 0;
    }
  }

  /**
   * The SKIP to put in the next DATA, or null. `lowestLive` is the lowest line still in flight (or the next
   * unsent one): every line below it is acknowledged or abandoned, so SKIP(lowestLive) is always true. It is
   * useless while the peer is not past the abandoned lines yet but a live line blocks it (lowestLive equals
   * `peerNext`): that line must arrive, be acknowledged, or be abandoned first.
   */
  pending(lowestLive: number): PendingSkip | null {
    if (this.#highestAbandoned < this.#peerNext || lowestLive <= this.#peerNext) return null;
    return { frame: { type: 'skip', seq: lowestLive }, due: this.#due };
  }

  onSent(now: number, timeoutMs: number): void {
    this.#due = false;
    this.#deadline = now + timeoutMs;
  }

  onTimeout(now: number): void {
    if (this.#deadline === null || this.#deadline > now) return;
    this.#deadline = null;
    this.#due = true;
    this.#timeouts += 1;
  }
}
