/**
 * Which of one sender's recent sequence numbers were shown: a bitmap of the last SHOWN_WINDOW numbers below
 * the highest one marked, kept as a ring of 32-bit blocks (the RFC 6479 anti-replay layout, as
 * ../protocol/v2/replay-window.ts). Moving forward zeroes whole blocks, so a jump of any size costs O(1).
 */
import { SHOWN_WINDOW } from '../protocol/lan/limits.ts';

const BLOCK_BITS = 32;
const BLOCK_SHIFT = 5;
/** One block more than the window needs, so the block being reused is never one the window covers. */
const BLOCKS = SHOWN_WINDOW / BLOCK_BITS + 1;

export class SequenceWindow {
  private readonly blocks = new Uint32Array(BLOCKS);
  /** The highest number marked, -1 before the first. */
  private top = -1;

  /**
   * True for a number marked, and for one too old for the window: it was either shown long ago or given
   * up on long ago, and in both cases it must not be shown now.
   */
  has(sequence: number): boolean {
    if (this.top < 0 || sequence > this.top) return false;
    if (this.isTooOld(sequence)) return true;
    return (this.block(sequence) & bitOf(sequence)) !== 0;
  }

  mark(sequence: number): void {
    if (sequence > this.top) this.advanceTo(sequence);
    else if (this.isTooOld(sequence)) return;
    const index = (sequence >>> BLOCK_SHIFT) % BLOCKS;
    this.blocks[index] = this.block(sequence) | bitOf(sequence);
  }

  /**
   * How many numbers in [from, to) are marked, counting only those inside the window: a gap report would
   * rather name a line that might have been shown than hide one that was lost.
   */
  countMarked(from: number, to: number): number {
    const start = Math.max(from, this.top - SHOWN_WINDOW + 1, 0);
    const end = Math.min(to, this.top + 1);
    let count = 0;
    for (let sequence = start; sequence < end; sequence++) {
      if ((this.block(sequence) & bitOf(sequence)) !== 0) count++;
    }
    return count;
  }

  private isTooOld(sequence: number): boolean {
    return this.top - sequence >= SHOWN_WINDOW;
  }

  private block(sequence: number): number {
    return this.blocks[(sequence >>> BLOCK_SHIFT) % BLOCKS] ?? 0;
  }

  /** Zeroes the blocks after the old top's block up to the new top's, then moves the top. */
  private advanceTo(sequence: number): void {
    const oldBlock = this.top < 0 ? -1 : this.top >>> BLOCK_SHIFT;
    const toClear = Math.min((sequence >>> BLOCK_SHIFT) - oldBlock, BLOCKS);
    for (let step = 1; step <= toClear; step++) this.blocks[(oldBlock + step) % BLOCKS] = 0;
    this.top = sequence;
  }
}

function bitOf(sequence: number): number {
  return 1 << (sequence & (BLOCK_BITS - 1));
}
