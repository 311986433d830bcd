/**
 * What this relay holds in the cluster, kept locally: its claimed nicks and its members of rooms. After
 * the cluster presumed the relay dead (its TTL passed while it was cut off) and released them, the
 * mirror is claimed and joined again; a nick taken meanwhile is reported lost, never silently shared.
 */
import type { BusOp } from '../backend.ts';

export class LocalMirror {
  private readonly claims = new Map<string, string>();
  /** roomKey -> nickKey -> nick */
  private readonly rooms = new Map<string, Map<string, string>>();

  claim(nickKey: string, nick: string): void {
    this.claims.set(nickKey, nick);
  }

  holds(nickKey: string): boolean {
    return this.claims.has(nickKey);
  }

  nickOf(nickKey: string): string | undefined {
    return this.claims.get(nickKey);
  }

  release(nickKey: string): void {
    this.claims.delete(nickKey);
  }

  join(roomKey: string, nickKey: string, nick: string): void {
    let members = this.rooms.get(roomKey);
    if (members === undefined) {
      members = new Map();
      this.rooms.set(roomKey, members);
    }
    members.set(nickKey, nick);
  }

  leave(roomKey: string, nickKey: string): void {
    const members = this.rooms.get(roomKey);
    if (members === undefined) return;
    members.delete(nickKey);
    if (members.size === 0) this.rooms.delete(roomKey);
  }

  /** Leaves every room a lost nick was in. */
  forget(nickKey: string): void {
    this.claims.delete(nickKey);
    for (const roomKey of [...this.rooms.keys()]) this.leave(roomKey, nickKey);
  }

  claimOps(): BusOp[] {
    return [...this.claims].map(([nickKey, nick]) => ({ type: 'claim', nickKey, nick }));
  }

  joinOps(): BusOp[] {
    const ops: BusOp[] = [];
    for (const [roomKey, members] of this.rooms) {
      for (const [nickKey, nick] of members)
        ops.push({ type: 'join', roomKey, nickKey, nick, reason: 'join' });
    }
    return ops;
  }
}
