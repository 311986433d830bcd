/**
 * The acknowledgement every DATA carries (docs/PROTOCOL-v2.md, "Acknowledgement"): `ack next`, the lowest
 * line not yet received, and a 32-bit bitmap whose bit i says line `next + 1 + i` was received.
 */
import type { AckInfo } from '../../protocol/v2/frames.ts';

export const ACK_BITMAP_BITS = 32;

/** Builds the ack for a receiver whose lowest missing line is `next`, asking `held` about the later ones. */
export function buildAckInfo(next: number, held: (seq: number) => boolean): AckInfo {
  let bitmap = 0;
  for (let bit = 0; bit < ACK_BITMAP_BITS; bit += 1) {
    if (held(next + 1 + bit)) bitmap |= 1 << bit;
  }
  return { next, bitmap: bitmap >>> 0 };
}

/** True when `ack` says line `seq` was received (or skipped: only abandoned lines are ever skipped). */
export function isAcknowledged(seq: number, ack: AckInfo): boolean {
  if (seq < ack.next) return true;
  const bit = seq - ack.next - 1;
  return bit >= 0 && bit < ACK_BITMAP_BITS && ((ack.bitmap >>> bit) & 1) === 1;
}
