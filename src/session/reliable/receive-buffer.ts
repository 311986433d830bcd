/**
 * The peer's lines as they arrive (docs/PROTOCOL-v2.md, "Reliable, ordered delivery"): accepted only in
 * [next, next + receiveWindow), duplicates dropped, handed on strictly in order, SKIP turned into gaps.
 * Memory is bounded by the window: at most receiveWindow - 1 lines wait for an earlier one.
 */
import type { AckInfo } from '../../protocol/v2/frames.ts';
import { buildAckInfo } from './ack-bitmap.ts';

/** What the application gets, in order: a line, or the lines the sender abandoned at that point. */
export type Delivery =
  | { readonly type: 'line'; readonly seq: number; readonly text: string }
  | { readonly type: 'gap'; readonly seq: number; readonly count: number };

/**
 * How a line arrived, which decides how soon to acknowledge it: `in-order` may wait for the ack delay; the
 * others are acknowledged at once (RFC 5681 §3.2: out of order, or filling a gap; a duplicate or a line
 * beyond the window means the sender has not seen our acks).
 */
export type LineArrival = 'in-order' | 'filled-gap' | 'out-of-order' | 'duplicate' | 'beyond-window';

export interface ReceiveStats {
  readonly linesDelivered: number;
  /** Lines the sender abandoned and we never got: the sum of the gaps. */
  readonly linesLost: number;
  readonly duplicatesDropped: number;
  readonly beyondWindowDropped: number;
}

export class ReceiveBuffer {
  readonly #window: number;
  #next = 0;
  /** Lines in (next, next + window) that wait for `next`. Never holds `next` itself. */
  readonly #waiting = new Map<number, string>();
  readonly #stats = { linesDelivered: 0, linesLost: 0, duplicatesDropped: 0, beyondWindowDropped: 0 };

  constructor(receiveWindow: number) {
    this.#window = receiveWindow;
  }

  /** The lowest line not yet received: everything below it was delivered or reported as a gap. */
  get next(): number {
    return this.#next;
  }

  /** Lines held for an earlier one. */
  get buffered(): number {
    return this.#waiting.size;
  }

  get stats(): ReceiveStats {
    return { ...this.#stats };
  }

  /** Takes one LINE frame, appending whatever becomes deliverable to `out`. */
  onLine(seq: number, text: string, out: Delivery[]): LineArrival {
    if (seq < this.#next || this.#waiting.has(seq)) {
      this.#stats.duplicatesDropped += 1;
      return 'duplicate';
    }
    if (seq >= this.#next + this.#window) {
      // Dropped, not buffered: the sender keeps it and retransmits once the window moves.
      this.#stats.beyondWindowDropped += 1;
      return 'beyond-window';
    }
    if (seq > this.#next) {
      this.#waiting.set(seq, text);
      return 'out-of-order';
    }
    const filledGap = this.#waiting.size > 0;
    this.#deliver(seq, text, out);
    this.#drain(out);
    return filledGap ? 'filled-gap' : 'in-order';
  }

  /**
   * Takes SKIP(seq): the sender gave up on every line before `seq`. Lines we hold below it are still
   * delivered; each run of missing ones becomes one gap, in place. Returns false for a stale SKIP. A SKIP
   * may lie beyond the window (the sender gave up on many lines while the link was down): that is fine, it
   * costs no memory.
   */
  onSkip(seq: number, out: Delivery[]): boolean {
    if (seq <= this.#next) return false;
    const below = [...this.#waiting].filter(([held]) => held < seq).sort(([a], [b]) => a - b);
    for (const [held, text] of below) {
      this.#waiting.delete(held);
      this.#gapUpTo(held, out);
      this.#deliver(held, text, out);
    }
    this.#gapUpTo(seq, out);
    this.#drain(out);
    return true;
  }

  /** `ack next` and the bitmap of the 32 lines after it (bit i: line next + 1 + i is held). */
  ackInfo(): AckInfo {
    return buildAckInfo(this.#next, (seq) => this.#waiting.has(seq));
  }

  #gapUpTo(seq: number, out: Delivery[]): void {
    if (seq <= this.#next) return;
    const count = seq - this.#next;
    out.push({ type: 'gap', seq: this.#next, count });
    this.#stats.linesLost += count;
    this.#next = seq;
  }

  #deliver(seq: number, text: string, out: Delivery[]): void {
    out.push({ type: 'line', seq, text });
    this.#stats.linesDelivered += 1;
    this.#next = seq + 1;
  }

  #drain(out: Delivery[]): void {
    for (let text = this.#take(this.#next); text !== undefined; text = this.#take(this.#next)) {
      this.#deliver(this.#next, text, out);
    }
  }

  #take(seq: number): string | undefined {
    const text = this.#waiting.get(seq);
    this.#waiting.delete(seq);
    return text;
  }
}
