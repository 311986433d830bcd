/**
 * Anti-replay for authenticated datagrams (docs/PROTOCOL-v2.md, "Packet numbers and replay"), as RFC 6479:
 * a bitmap of the last REPLAY_WINDOW packet numbers kept as a ring of 32-bit blocks. Moving the window
 * forward zeroes whole blocks instead of shifting bits, so each packet costs O(1) however far it jumps.
 *
 * The ring has one block more than the window needs (RFC 6479 §2), so the block being reused is never one
 * the window still covers. The window itself is exact: with `top` the highest number accepted, numbers
 * in (top - REPLAY_WINDOW, top] are remembered and anything at or below top - REPLAY_WINDOW is too old.
 * Packet numbers are u32 and never wrap: a session ends before 2^32 datagrams.
 */
import { REPLAY_WINDOW } from './limits.ts';

const BLOCK_BITS = 32;
const BLOCK_SHIFT = 5;
const BLOCKS = REPLAY_WINDOW / BLOCK_BITS + 1;
const MAX_PACKET_NUMBER = 0xffff_ffff;

export class ReplayWindow {
  private readonly blocks = new Uint32Array(BLOCKS);
  /** The highest number accepted so far, -1 before the first. */
  private top = -1;

  /** The highest packet number accepted, or -1 if none was. */
  get highest(): number {
    return this.top;
  }

  /**
   * True the first time a number inside the window or ahead of it is seen (and records it); false for a
   * duplicate, a number older than the window, or anything that is not a u32.
   * Call it only after the datagram's tag verified, so forgeries cannot move the window.
   */
  accept(packetNumber: number): boolean {
    if (!Number.isInteger(packetNumber) || packetNumber < 0 || packetNumber > MAX_PACKET_NUMBER) return false;
    if (packetNumber > this.top) {
      this.advanceTo(packetNumber);
      this.mark(packetNumber);
      return true;
    }
    if (this.top - packetNumber >= REPLAY_WINDOW) return false;
    if (this.isMarked(packetNumber)) return false;
    this.mark(packetNumber);
    return true;
  }

  /** Zeroes the blocks between the old top's block (exclusive) and the new top's (inclusive). */
  private advanceTo(packetNumber: number): void {
    const oldBlock = this.top < 0 ? -1 : this.top >>> BLOCK_SHIFT;
    const newBlock = packetNumber >>> BLOCK_SHIFT;
    const toClear = Math.min(newBlock - oldBlock, BLOCKS);
    for (let step = 1; step <= toClear; step++) this.blocks[(oldBlock + step) % BLOCKS] = 0;
    this.top = packetNumber;
  }

  private isMarked(packetNumber: number): boolean {
    const block = this.blocks[(packetNumber >>> BLOCK_SHIFT) % BLOCKS] ?? 0;
    return (block & bitOf(packetNumber)) !== 0;
  }

  private mark(packetNumber: number): void {
    const index = (packetNumber >>> BLOCK_SHIFT) % BLOCKS;
    this.blocks[index] = (this.blocks[index] ?? 0) | bitOf(packetNumber);
  }
}

function bitOf(packetNumber: number): number {
  return 1 << (packetNumber & (BLOCK_BITS - 1));
}
