/**
 * RelayCatchUp: the lobby lines of a dual-path client that the relay may not have, to be said to it again
 * when it is back, so that its users who are not on the LAN see them too (docs/PROTOCOL.md, "Dual path").
 *
 * - A line said while the relay is away goes to the LAN only and waits here; it is always said again.
 * - A line said on both paths over protocol v2 has an id until the relay acknowledges it; if it fails, or
 *   the relay forgets the session (a restart), it waits here too. Over v1 nothing is ever acknowledged, so
 *   a line sent to a relay that then died is lost for its users (the LAN had it).
 *
 * A relay that stores history may have kept such a line and died before its acknowledgement went out:
 * said again it would be in its history twice. So after a reconnect, while some waiting line was sent to
 * the relay, the catch-up is held until the lobby's history after the reconnect is over (the gap fill,
 * or the history on join) or HOLD_MS pass (a relay without a store sends none). The history hands our own
 * lines back (`kept`); they are matched, oldest first, against the lines said to the relay in order, one
 * history line for one line said (the same text said twice is two lines), and a waiting line matched is
 * not said again. The history's own lines are a subsequence of what we said, so the earliest match is the
 * one the relay kept; a line older than what is remembered matches nothing.
 *
 * The LAN peers already showed these lines; their relay copies are merged away there (dual-merge.ts), so
 * saying them again shows nothing twice. Bounded: the newest MAX_CATCH_UP lines, none older than maxAgeMs.
 */

export interface CaughtUpLine {
  readonly text: string;
  /** What the relay's history shows of it (`lineKey`): `<text` for a line, `*text` for an action. */
  readonly key: string;
  readonly saidAt: number;
  /** Sent to the relay (it may have kept it), not only on the LAN. */
  readonly toRelay: boolean;
}

/** What the relay is told again when it is back; `kept`: waiting lines its history already had. */
export interface CatchUpRelease {
  readonly lines: string[];
  readonly kept: number;
}

/** A few minutes of one person's typing; more would flood the relay's other users when it comes back. */
export const MAX_CATCH_UP = 50;
/** Lines said to the relay remembered for matching its history (the session remembers as many). */
export const SENT_REMEMBERED = 200;
/**
 * How long the catch-up waits for the lobby's history after a reconnect: past the session's gap-fill
 * deadline (10 s), which ends an unanswered fill, so the fill's end normally comes first.
 */
export const HOLD_MS = 12_000;
/** History ids remembered per hold (the history on join and the fill's answer, at most a page each). */
const MAX_KEPT = 2 * SENT_REMEMBERED;

/** The key of a lobby line as the relay's history shows it. */
export function lineKey(text: string, action: boolean): string {
  return `${action ? '*' : '<'}${text}`;
}

export class RelayCatchUp {
  private readonly unacked = new Map<number, CaughtUpLine>();
  private readonly waiting: CaughtUpLine[] = [];
  /** Lines said to the relay, in order, not yet found in its history: what it may hand back. */
  private readonly sentLog: CaughtUpLine[] = [];
  /** Our own lines the relay's history handed back during the hold, by history id. */
  private readonly kept = new Map<number, string>();
  /**
   * History ids already matched to a line said, oldest first: the relay's history hands them back again at
   * a later reconnect, where they must not match a newer line of the same text.
   */
  private readonly matchedIds: number[] = [];
  private holdUntil: number | null = null;

  /** `maxAgeMs`: older lines are not said again (DualMerge's window: the LAN peers would show them). */
  constructor(private readonly maxAgeMs: number) {}

  /** Lines waiting for the relay to come back. */
  get size(): number {
    return this.waiting.length;
  }

  /** Waiting for the relay's history after a reconnect (`take` answers null until then). */
  held(now: number): boolean {
    return this.holdUntil !== null && now < this.holdUntil;
  }

  /** Said on the LAN only: the relay was away. */
  missed(now: number, text: string, key = text): void {
    this.queue({ text, key, saidAt: now, toRelay: false });
  }

  /** Said on both paths; the relay will acknowledge `id` (protocol v2). */
  sent(now: number, id: number, text: string, key = text): void {
    const line: CaughtUpLine = { text, key, saidAt: now, toRelay: true };
    this.unacked.set(id, line);
    this.sentLog.push(line);
    if (this.sentLog.length > SENT_REMEMBERED) this.sentLog.shift();
  }

  acked(id: number): void {
    this.unacked.delete(id);
  }

  /** The relay gave up on `id`: it waits for the relay to come back. */
  failed(id: number): void {
    const line = this.unacked.get(id);
    if (line === undefined) return;
    this.unacked.delete(id);
    this.queue(line);
  }

  /** The relay no longer knows our session: nothing unacknowledged will ever be, in the order said. */
  sessionLost(): void {
    const lines = [...this.unacked.values()];
    this.unacked.clear();
    for (const line of lines) this.queue(line);
    this.waiting.sort((a, b) => a.saidAt - b.saidAt);
  }

  /**
   * Welcomed again after a reconnect: the session asks for the lobby's history, which hands back what
   * the relay kept. Held only when some waiting line was sent to the relay (the others it cannot have).
   */
  reconnected(now: number): void {
    this.sessionLost();
    this.kept.clear();
    this.holdUntil = this.waiting.some((line) => line.toRelay) ? now + HOLD_MS : null;
  }

  /** The relay's history after the reconnect holds our line `key` as its line `id`. */
  keptByRelay(id: number, key: string): void {
    if (this.holdUntil === null || this.kept.size >= MAX_KEPT || this.matchedIds.includes(id)) return;
    this.kept.set(id, key);
  }

  /** The lobby's history after the reconnect is over (the fill answered, or the history on join ended). */
  historyOver(): void {
    if (this.holdUntil !== null) this.holdUntil = 0;
  }

  /** The relay is back: what to say to it again, oldest first; null while the hold lasts. */
  take(now: number): CatchUpRelease | null {
    if (this.held(now)) return null;
    this.holdUntil = null;
    const found = this.matchKept();
    const waiting = this.waiting.splice(0);
    const kept = waiting.filter((line) => found.has(line)).length;
    const lines = waiting.filter((line) => !found.has(line) && now - line.saidAt < this.maxAgeMs);
    // Found, or said again under a new id (remembered anew by `sent`): either way no longer matched.
    const settled = new Set<CaughtUpLine>([...found, ...waiting]);
    this.forget(settled);
    return { lines: lines.map((line) => line.text), kept };
  }

  /** The lines said that the history handed back: one history line each, the earliest in order. */
  private matchKept(): Set<CaughtUpLine> {
    const found = new Set<CaughtUpLine>();
    const kept = [...this.kept.entries()].sort(([a], [b]) => a - b);
    this.kept.clear();
    let from = 0;
    for (const [id, key] of kept) {
      const at = this.sentLog.findIndex((line, index) => index >= from && line.key === key);
      if (at < 0) continue;
      found.add(this.sentLog[at] as CaughtUpLine);
      from = at + 1;
      this.matchedIds.push(id);
      if (this.matchedIds.length > MAX_KEPT) this.matchedIds.shift();
    }
    return found;
  }

  /** Found once, a line is not found again at a later reconnect (the session forgets it too). */
  private forget(lines: ReadonlySet<CaughtUpLine>): void {
    for (let i = this.sentLog.length - 1; i >= 0; i--)
      if (lines.has(this.sentLog[i] as CaughtUpLine)) this.sentLog.splice(i, 1);
  }

  private queue(line: CaughtUpLine): void {
    this.waiting.push(line);
    if (this.waiting.length > MAX_CATCH_UP) this.waiting.shift();
  }
}
