/**
 * When the receiver owes an acknowledgement (docs/PROTOCOL-v2.md, "Acknowledgement"). Acks ride on every
 * DATA; a receiver with nothing to send sends an empty DATA:
 * - at once when a line arrived out of order, filled a gap, was a duplicate or lay beyond the window (RFC 5681
 *   §3.2), when two ack-eliciting frames are unacknowledged (RFC 5681 §4.2's "every second segment"), or
 *   when a PING asked for it;
 * - otherwise after the ack delay (25 ms), so a lone line's ack can still ride on the reply it provokes.
 * An empty DATA elicits nothing, so two idle peers never ack each other's acks.
 */

/** Ack-eliciting frames unacknowledged that make the ack immediate. */
const IMMEDIATE_AFTER = 2;

export class AckPolicy {
  readonly #delayMs: number;
  #unacked = 0;
  #immediate = false;
  #deadline: number | null = null;

  constructor(ackDelayMs: number) {
    this.#delayMs = ackDelayMs;
  }

  /** The delayed ack's deadline, or null (none owed, or owed at once: then `due` already says so). */
  get deadline(): number | null {
    return this.#immediate ? null : this.#deadline;
  }

  /** Records one ack-eliciting frame (LINE, SKIP, PING); `urgent` asks for the ack at once. */
  onElicited(now: number, urgent: boolean): void {
    this.#unacked += 1;
    if (urgent || this.#unacked >= IMMEDIATE_AFTER) this.#immediate = true;
    this.#deadline ??= now + this.#delayMs;
  }

  /** Whether a DATA must go out now for the ack alone. */
  due(now: number): boolean {
    return this.#immediate || (this.#deadline !== null && this.#deadline <= now);
  }

  /** Every DATA carries the current ack, so any DATA sent settles what was owed. */
  onAckSent(): void {
    this.#unacked = 0;
    this.#immediate = false;
    this.#deadline = null;
  }
}
