/**
 * RelayCatchUp: the lobby lines of a dual-path client that the relay may not have, to be said to it again
 * when it is back, so that its users who are not on the LAN see them too (docs/PROTOCOL.md, "Dual path").
 *
 * - A line said while the relay is away goes to the LAN only and waits here.
 * - A line said on both paths over protocol v2 has an id until the relay acknowledges it; if it fails, or
 *   the relay forgets the session (a restart), it waits here too. Over v1 nothing is ever acknowledged, so
 *   a line sent to a relay that then died is lost for its users (the LAN had it).
 *
 * The LAN peers already showed these lines; their relay copies are merged away there (dual-merge.ts), so
 * saying them again shows nothing twice. Bounded: the newest MAX_CATCH_UP lines, none older than maxAgeMs.
 */

export interface CaughtUpLine {
  readonly text: string;
  readonly saidAt: number;
}

/** A few minutes of one person's typing; more would flood the relay's other users when it comes back. */
export const MAX_CATCH_UP = 50;

export class RelayCatchUp {
  private readonly unacked = new Map<number, CaughtUpLine>();
  private readonly waiting: CaughtUpLine[] = [];

  /** `maxAgeMs`: older lines are not said again (DualMerge's window: the LAN peers would show them). */
  constructor(private readonly maxAgeMs: number) {}

  /** Lines waiting for the relay to come back. */
  get size(): number {
    return this.waiting.length;
  }

  /** Said on the LAN only: the relay was away. */
  missed(now: number, text: string): void {
    this.queue({ text, saidAt: now });
  }

  /** Said on both paths; the relay will acknowledge `id` (protocol v2). */
  sent(now: number, id: number, text: string): void {
    this.unacked.set(id, { text, saidAt: now });
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

  /** The relay is back: what to say to it again, oldest first (too old lines are dropped). */
  take(now: number): string[] {
    const lines = this.waiting.splice(0).filter((line) => now - line.saidAt < this.maxAgeMs);
    return lines.map((line) => line.text);
  }

  private queue(line: CaughtUpLine): void {
    this.waiting.push(line);
    if (this.waiting.length > MAX_CATCH_UP) this.waiting.shift();
  }
}
