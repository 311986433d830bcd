/**
 * The resumption ids this relay has honoured, each kept until its ticket expires: a ticket resumes a
 * session once (docs/PROTOCOL-v2.md, section 16). Bounded: past MAX_SPENT_TICKETS the oldest id is
 * forgotten. Forgetting is safe because a ticket alone resumes nothing: its presenter must also sign the
 * new session with the client's resumption key, which a copier of the ticket does not have.
 */
import { MAX_SPENT_TICKETS } from '../../protocol/limits.ts';

export class SpentTickets {
  /** Hex resumption id -> the Unix ms its ticket expires; insertion order is (roughly) expiry order. */
  private readonly spent = new Map<string, number>();

  constructor(private readonly capacity = MAX_SPENT_TICKETS) {}

  get size(): number {
    return this.spent.size;
  }

  has(id: Uint8Array): boolean {
    return this.spent.has(hex(id));
  }

  /** Records `id` as used until `expiresAt`; drops the ids whose tickets expired before `wallTime`. */
  spend(id: Uint8Array, expiresAt: number, wallTime: number): void {
    for (const [key, expiry] of this.spent) {
      if (expiry > wallTime && this.spent.size < this.capacity) break;
      this.spent.delete(key);
    }
    this.spent.set(hex(id), expiresAt);
  }
}

function hex(id: Uint8Array): string {
  return Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex');
}
