/**
 * One sender's datagrams put back in sequence order. A datagram that arrives before an earlier one is held
 * (at most REORDER_WINDOW of them) for up to REORDER_HOLD_MS from its arrival; then the missing ones before
 * it are given up on and it is released, with everything held before it. Each released item says which sequence numbers were skipped
 * just before it, so the receiver can count what was lost.
 *
 * Sequence numbers never wrap under one sender id (a sender takes a new id first), so plain comparison
 * is the order.
 */
import { REORDER_HOLD_MS, REORDER_WINDOW } from '../protocol/lan/limits.ts';

export interface Released<T> {
  readonly sequence: number;
  readonly item: T;
  /** Numbers in [skippedFrom, sequence) never arrived and are given up; equal to `sequence` when none. */
  readonly skippedFrom: number;
}

/** `stale`: older than what was already released (a duplicate, or too late); `held`: already waiting. */
export type Offer<T> =
  | { readonly status: 'accepted'; readonly released: Released<T>[] }
  | { readonly status: 'stale' | 'held' };

interface Held<T> {
  readonly item: T;
  readonly arrivedAt: number;
}

interface Waiting {
  readonly sequence: number;
  readonly arrivedAt: number;
}

export class ReorderBuffer<T> {
  private readonly held = new Map<number, Held<T>>();
  /** The next sequence number to release. */
  private next: number;
  /**
   * The first number not yet released or reported skipped: `next`, except after a jump moved `next`
   * ahead, when the numbers jumped over are reported with the next release.
   */
  private accounted: number;
  /** False until the first release: numbers skipped before it are not losses, only what preceded us. */
  private releasedAny = false;

  /**
   * `first` is the first sequence number heard. Unless it is 0 (nothing can precede it), up to
   * REORDER_WINDOW - 1 earlier ones may still be on their way, and are waited for like any other gap;
   * what came before that is from before we listened, and is never counted as lost.
   */
  constructor(first: number) {
    this.next = Math.max(0, first - REORDER_WINDOW + 1);
    this.accounted = this.next;
  }

  get size(): number {
    return this.held.size;
  }

  offer(now: number, sequence: number, item: T): Offer<T> {
    if (sequence < this.next) return { status: 'stale' };
    if (this.held.has(sequence)) return { status: 'held' };
    const released: Released<T>[] = [];
    // Too far ahead for the window: give up on whatever keeps the window from reaching it.
    if (sequence >= this.next + REORDER_WINDOW) this.skipTo(sequence - REORDER_WINDOW + 1, released);
    this.held.set(sequence, { item, arrivedAt: now });
    this.releaseInOrder(released);
    return { status: 'accepted', released };
  }

  /** When the datagram held longest has waited REORDER_HOLD_MS, or null when nothing is held. */
  deadline(): number | null {
    const longest = this.heldLongest();
    return longest === null ? null : longest.arrivedAt + REORDER_HOLD_MS;
  }

  /**
   * Releases every datagram that has waited long enough, giving up on the numbers before it (and so
   * releasing whatever it was waiting behind too). No datagram waits longer than REORDER_HOLD_MS.
   */
  expire(now: number): Released<T>[] {
    const released: Released<T>[] = [];
    for (let longest = this.heldLongest(); longest !== null; longest = this.heldLongest()) {
      if (longest.arrivedAt + REORDER_HOLD_MS > now) break;
      this.skipTo(longest.sequence + 1, released);
      this.releaseInOrder(released);
    }
    return released;
  }

  /** Gives up on the gap at the head now (memory is short), releasing what follows it. */
  skipGap(released: Released<T>[] = []): Released<T>[] {
    const first = this.firstHeldSequence();
    if (first !== null) this.release(first, released);
    this.releaseInOrder(released);
    return released;
  }

  /** Releases held items below `target` in order, then moves `next` to `target`. */
  private skipTo(target: number, released: Released<T>[]): void {
    for (const sequence of [...this.held.keys()].filter((held) => held < target).sort((a, b) => a - b)) {
      this.release(sequence, released);
    }
    if (target > this.next) this.next = target;
  }

  private releaseInOrder(released: Released<T>[]): void {
    while (this.held.has(this.next)) this.release(this.next, released);
  }

  /** Releases `sequence` (held), recording the numbers skipped since the last one accounted for. */
  private release(sequence: number, released: Released<T>[]): void {
    const held = this.held.get(sequence);
    if (held === undefined) return;
    this.held.delete(sequence);
    // Before the first release nothing is a loss: it is what the sender sent before we listened.
    const skippedFrom = this.releasedAny ? this.accounted : sequence;
    this.releasedAny = true;
    released.push({ sequence, item: held.item, skippedFrom });
    this.next = sequence + 1;
    this.accounted = sequence + 1;
  }

  /** The held datagram that arrived first (at most REORDER_WINDOW to look at). */
  private heldLongest(): Waiting | null {
    let longest: Waiting | null = null;
    for (const [sequence, held] of this.held) {
      if (longest === null || held.arrivedAt < longest.arrivedAt)
        longest = { sequence, arrivedAt: held.arrivedAt };
    }
    return longest;
  }

  private firstHeldSequence(): number | null {
    let first: number | null = null;
    for (const sequence of this.held.keys()) if (first === null || sequence < first) first = sequence;
    return first;
  }
}
