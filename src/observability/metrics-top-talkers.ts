/**
 * Lines per nick, for the "top talkers" gauge. The hot path only bumps a Map entry; ranking happens at
 * scrape time. Memory is bounded: each window tracks at most `capacity` nicks, and a nick first seen after
 * that is not tracked until the next window. A heavy talker speaks early in almost every window, so it is
 * all but certain to be among the first `capacity` nicks; a quiet one missed is no loss to a top-10.
 *
 * Windows turn over lazily when read: the figure covers the previous window and the current one, so it
 * always spans at least `windowMs` of traffic (or the whole uptime, if shorter) and never jumps to zero
 * just after a turn-over.
 */
export interface Talker {
  readonly nick: string;
  /** Lines relayed in the span. */
  readonly lines: number;
}

export interface TalkerRanking {
  readonly talkers: readonly Talker[];
  /** The milliseconds the counts cover (divide to get a rate). */
  readonly spanMs: number;
}

export const TALKER_WINDOW_MS = 5_000;
export const TALKERS_TRACKED = 4_096;

export class TopTalkers {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();
  private currentSince: number;
  private previousSince: number;

  constructor(
    startedAt: number,
    private readonly windowMs: number = TALKER_WINDOW_MS,
    private readonly capacity: number = TALKERS_TRACKED,
  ) {
    this.currentSince = startedAt;
    this.previousSince = startedAt;
  }

  /** One relayed line from `nick`: O(1), no clock. */
  add(nick: string): void {
    const count = this.current.get(nick);
    if (count !== undefined) this.current.set(nick, count + 1);
    else if (this.current.size < this.capacity) this.current.set(nick, 1);
  }

  /** The `k` busiest nicks, most lines first (ties by nick, so the order is stable between scrapes). */
  top(k: number, now: number): TalkerRanking {
    this.turnOver(now);
    const merged = new Map(this.previous);
    for (const [nick, lines] of this.current) merged.set(nick, (merged.get(nick) ?? 0) + lines);
    const talkers = [...merged]
      .map(([nick, lines]) => ({ nick, lines }))
      .sort((a, b) => b.lines - a.lines || (a.nick < b.nick ? -1 : a.nick > b.nick ? 1 : 0))
      .slice(0, k);
    return { talkers, spanMs: Math.max(0, now - this.previousSince) };
  }

  private turnOver(now: number): void {
    if (now - this.currentSince < this.windowMs) return;
    this.previous = this.current;
    this.previousSince = this.currentSince;
    this.current = new Map();
    this.currentSince = now;
  }
}
