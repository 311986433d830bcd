/**
 * HELLO nonces whose session has ended (docs/PROTOCOL-v2.md, "Lost, repeated and spent HELLOs"). The cookie
 * of such a HELLO may still be valid for up to two cookie slots, so without this a copy of the HELLO (or the
 * client's own late retry) would open a second session after a CLOSE. Entries expire after
 * SPENT_NONCE_MEMORY_MS; a Map keeps insertion order, which is also expiry order, so pruning looks only at
 * the oldest entries.
 */
import { SPENT_NONCE_MEMORY_MS } from '../../protocol/v2/protected-limits.ts';

export class SpentNonces {
  private readonly spentAt = new Map<string, number>();

  get size(): number {
    return this.spentAt.size;
  }

  add(now: number, nonceHex: string): void {
    this.prune(now);
    this.spentAt.delete(nonceHex);
    this.spentAt.set(nonceHex, now);
  }

  has(now: number, nonceHex: string): boolean {
    this.prune(now);
    return this.spentAt.has(nonceHex);
  }

  private prune(now: number): void {
    // Each step removes one entry: bounded by the map's size.
    for (const [nonce, at] of this.spentAt) {
      if (now - at < SPENT_NONCE_MEMORY_MS) return;
      this.spentAt.delete(nonce);
    }
  }
}
