/**
 * Is the relay still there? On v2 every DATA that carries a frame elicits an acknowledgement, so a relay
 * that stops answering what we sent is noticed within a bounded time, without waiting for the line
 * session's 10 s /ping: the sender measures how long its oldest unanswered ack-eliciting DATA has gone
 * without any authenticated datagram back (RFC 9002's persistent-congestion idea, kept simple). With an
 * idle probe interval, a quiet session sends a PING when it has heard nothing for that long, so even a
 * client with nothing to say notices a dead relay within probe + stall time. Pure: time comes in as ms.
 */

/** A relay that answered nothing we sent for this long (and at least twice the RTO) is taken as stalled. */
export const STALL_AFTER_MS = 1_500;

/**
 * The idle probe an interactive client uses: with STALL_AFTER_MS a dead relay shows within 2.25 s of its
 * last datagram (the issue asks for 3 s), for one small PING and its ack per 750 ms of silence.
 */
export const INTERACTIVE_IDLE_PROBE_MS = 750;

export interface LivenessOptions {
  /** Send a PING after this long without hearing from the relay; null: only the keep-alive pings. */
  readonly idleProbeMs: number | null;
  readonly stallAfterMs: number;
}

export type LivenessChange = 'stalled' | 'answering' | null;

export class Liveness {
  private lastHeardAt: number;
  /** When the oldest ack-eliciting DATA not followed by anything from the relay left; null: none. */
  private awaitingSince: number | null = null;
  private lastElicitedAt = Number.NEGATIVE_INFINITY;
  private stalledNow = false;

  constructor(
    private readonly options: LivenessOptions,
    now: number,
  ) {
    this.lastHeardAt = now;
  }

  get stalled(): boolean {
    return this.stalledNow;
  }

  /** Since the last authenticated datagram from the relay. */
  silentMs(now: number): number {
    return Math.max(0, now - this.lastHeardAt);
  }

  /** An authenticated datagram from the relay: it is there. Returns 'answering' when that ends a stall. */
  heard(now: number): LivenessChange {
    this.lastHeardAt = now;
    this.awaitingSince = null;
    if (!this.stalledNow) return null;
    this.stalledNow = false;
    return 'answering';
  }

  /** We sent a DATA that the relay must acknowledge. */
  elicited(now: number): void {
    if (this.awaitingSince === null) this.awaitingSince = now;
    this.lastElicitedAt = now;
  }

  /**
   * Whether a quiet session should send a PING now: nothing heard for idleProbeMs and nothing awaited, or
   * (once stalled) one probe per idleProbeMs, so a relay that comes back is noticed as quickly.
   */
  probeDue(now: number): boolean {
    const at = this.probeAt();
    return at !== null && now >= at;
  }

  /** At `now`, with the channel's current RTO: 'stalled' when the relay just crossed the line. */
  check(now: number, rtoMs: number): LivenessChange {
    if (this.stalledNow || this.awaitingSince === null) return null;
    if (now < this.awaitingSince + this.stallMs(rtoMs)) return null;
    this.stalledNow = true;
    return 'stalled';
  }

  /** When check() or probeDue() next has something to say, or null. */
  nextAt(rtoMs: number): number | null {
    if (!this.stalledNow && this.awaitingSince !== null) return this.awaitingSince + this.stallMs(rtoMs);
    return this.probeAt();
  }

  private probeAt(): number | null {
    const probe = this.options.idleProbeMs;
    if (probe === null || (this.awaitingSince !== null && !this.stalledNow)) return null;
    return Math.max(this.lastHeardAt, this.lastElicitedAt) + probe;
  }

  private stallMs(rtoMs: number): number {
    return Math.max(this.options.stallAfterMs, 2 * rtoMs);
  }
}
