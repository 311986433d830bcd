/**
 * The client's side of keep-alive while joined: a /ping every interval (the seed's 10 s, jittered), the
 * round-trip time from /ping to /pong, and, when the client reconnects by itself, quick re-pings that tell
 * a lost pong from a lost relay. Pure: time comes in as milliseconds.
 */

export interface KeepAliveOptions {
  readonly intervalMs: number;
  /** Each interval is stretched or shrunk by up to this fraction, so clients do not ping in lock-step. */
  readonly jitterFraction: number;
  readonly random: () => number;
  /** A ping with nothing heard for this long is overdue: the relay answers a /ping at once. */
  readonly answerTimeoutMs: number;
  /**
   * With a number, an overdue ping is repeated every answerTimeoutMs and the relay is lost after this many
   * pings in a row went unanswered (the relay's own server keep-alive works the same way). Null: pings
   * only every interval and never give up (the seed's client).
   */
  readonly probes: number | null;
}

/** What tick() asks the session to do. */
export type KeepAliveAction = 'ping' | 'lost' | null;

export class KeepAlive {
  private nextPingAt = 0;
  private lastPingAt = 0;
  /** Pings sent since the relay last said anything; 0 while it is answering. */
  private unanswered = 0;
  private firstUnansweredAt = 0;
  /** The ping a /pong is matched with, and how many were sent since (more than one: no sample). */
  private outstanding: { readonly sentAt: number; count: number } | null = null;
  private latestRtt: number | null = null;

  constructor(private readonly options: KeepAliveOptions) {}

  /** The latest round-trip sample in milliseconds, or null before the first one. */
  get rttMs(): number | null {
    return this.latestRtt;
  }

  /** Joined at `now`: the first ping is one (jittered) interval away. */
  start(now: number): void {
    this.nextPingAt = now + this.jitteredInterval();
    this.unanswered = 0;
    this.outstanding = null;
  }

  nextAt(): number {
    const probeAt = this.probing()
      ? this.lastPingAt + this.options.answerTimeoutMs
      : Number.POSITIVE_INFINITY;
    return Math.min(this.nextPingAt, probeAt);
  }

  tick(now: number): KeepAliveAction {
    if (this.probing() && now >= this.lastPingAt + this.options.answerTimeoutMs) {
      if (this.unanswered >= (this.options.probes ?? 0)) return 'lost';
      this.sent(now);
      return 'ping';
    }
    if (now < this.nextPingAt) return null;
    this.nextPingAt = now + this.jitteredInterval();
    this.sent(now);
    return 'ping';
  }

  /** A ping the user asked for (`/lag`): measured like any other. */
  pingNow(now: number): void {
    this.sent(now);
  }

  /** Any datagram from the relay: it is there, whatever it said. */
  heard(): void {
    this.unanswered = 0;
  }

  /**
   * A /pong. It is a round-trip sample only when exactly one ping was waiting for it (Karn's rule, RFC 6298
   * section 3: after a repeat we cannot tell which ping it answers) and `trusted` (not the end of a silence,
   * where it measures the outage rather than the path). Returns the sample or null.
   */
  pong(now: number, trusted: boolean): number | null {
    const pending = this.outstanding;
    this.outstanding = null;
    if (pending === null || pending.count !== 1 || !trusted) return null;
    this.latestRtt = now - pending.sentAt;
    return this.latestRtt;
  }

  /** A sample taken elsewhere (a /join answered at the first try). */
  sample(ms: number): void {
    this.latestRtt = ms;
  }

  /** True when a ping has waited answerTimeoutMs with nothing heard from the relay since. */
  overdue(now: number): boolean {
    return this.unanswered > 0 && now >= this.firstUnansweredAt + this.options.answerTimeoutMs;
  }

  private probing(): boolean {
    return this.options.probes !== null && this.unanswered > 0;
  }

  private sent(now: number): void {
    if (this.unanswered === 0) this.firstUnansweredAt = now;
    this.unanswered += 1;
    this.lastPingAt = now;
    if (this.outstanding === null) this.outstanding = { sentAt: now, count: 1 };
    else this.outstanding.count += 1;
  }

  /** The interval scaled by a factor in [1 - jitter, 1 + jitter). */
  private jitteredInterval(): number {
    const { intervalMs, jitterFraction, random } = this.options;
    return intervalMs * (1 + jitterFraction * (2 * random() - 1));
  }
}
