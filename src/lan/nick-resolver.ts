/**
 * Nick collisions without a server. Two senders whose nicks share a look-alike key
 * (../protocol/lookalike.ts) cannot both be shown under it: the one with the earlier claim keeps it,
 * ties going to the lower sender id, and every other is shown as `nick#abcd` (lan-nick.ts suffixedNick).
 * The outcome depends only on what the senders themselves put in their datagrams (nick, claimed-at time,
 * sender id), never on the order a receiver heard them in, so every receiver that heard the same senders
 * shows the same names.
 */
import { suffixedNick } from '../protocol/lan/lan-nick.ts';

export interface NickClaim {
  readonly nick: string;
  /** The nick's look-alike key (checkLanNick). */
  readonly key: string;
  readonly claimedAt: number;
}

/** One sender's displayed name changed; `from` is null for a newcomer, `to` null for one removed. */
export interface DisplayChange {
  readonly senderId: string;
  readonly nick: string;
  readonly from: string | null;
  readonly to: string | null;
  /** Who keeps the nick when this sender lost it, else null. */
  readonly keptBy: string | null;
}

interface Claimant extends NickClaim {
  readonly senderId: string;
}

export class NickResolver {
  private readonly claims = new Map<string, Claimant>();
  private readonly byKey = new Map<string, Set<string>>();
  private readonly shown = new Map<string, string>();

  /** The name a sender is shown under, or undefined when it holds no claim. */
  shownAs(senderId: string): string | undefined {
    return this.shown.get(senderId);
  }

  /** Adds or replaces a sender's claim; returns every displayed name that changed because of it. */
  claim(senderId: string, claim: NickClaim): DisplayChange[] {
    const previous = this.claims.get(senderId);
    if (previous !== undefined && sameClaim(previous, claim)) return [];
    const before = this.snapshot(previous?.key, claim.key);
    if (previous !== undefined) this.members(previous.key).delete(senderId);
    this.claims.set(senderId, { ...claim, senderId });
    this.members(claim.key).add(senderId);
    return this.settle(before, [previous?.key, claim.key]);
  }

  /** Removes a sender (it left or timed out); the nick may pass to someone else. */
  release(senderId: string): DisplayChange[] {
    const previous = this.claims.get(senderId);
    if (previous === undefined) return [];
    const before = this.snapshot(previous.key);
    this.claims.delete(senderId);
    this.members(previous.key).delete(senderId);
    return this.settle(before, [previous.key]);
  }

  /** The displayed names of every member of the given keys' groups, before a change. */
  private snapshot(...keys: (string | undefined)[]): Map<string, string> {
    const before = new Map<string, string>();
    for (const key of keys) {
      if (key === undefined) continue;
      for (const senderId of this.members(key)) before.set(senderId, this.shown.get(senderId) ?? '');
    }
    return before;
  }

  /** Recomputes the groups of `keys`, and reports each member whose name differs from `before`. */
  private settle(before: Map<string, string>, keys: (string | undefined)[]): DisplayChange[] {
    const touched = new Set<string>(before.keys());
    for (const key of new Set(keys)) {
      if (key === undefined) continue;
      const members = this.members(key);
      if (members.size === 0) this.byKey.delete(key);
      const winner = this.winnerOf(members);
      for (const senderId of members) {
        touched.add(senderId);
        const claimant = this.claims.get(senderId);
        if (claimant === undefined) continue;
        this.shown.set(senderId, senderId === winner ? claimant.nick : suffixedNick(claimant.nick, senderId));
      }
    }
    const changes: DisplayChange[] = [];
    for (const senderId of touched) {
      const change = this.changeOf(senderId, before.get(senderId) ?? null);
      if (change !== null) changes.push(change);
    }
    return changes;
  }

  private changeOf(senderId: string, from: string | null): DisplayChange | null {
    const claimant = this.claims.get(senderId);
    if (claimant === undefined) this.shown.delete(senderId);
    const to = claimant === undefined ? null : (this.shown.get(senderId) ?? null);
    if (from === to) return null;
    const winner = claimant === undefined ? null : this.winnerOf(this.members(claimant.key));
    const keptBy = claimant === undefined || winner === senderId ? null : winner;
    return { senderId, nick: claimant?.nick ?? from ?? '', from, to, keptBy };
  }

  /** The earliest claim, ties to the lower sender id (hex of equal length compares as the bytes do). */
  private winnerOf(members: Set<string>): string | null {
    let best: Claimant | null = null;
    for (const senderId of members) {
      const claimant = this.claims.get(senderId);
      if (claimant === undefined) continue;
      if (best === null || ranksBefore(claimant, best)) best = claimant;
    }
    return best?.senderId ?? null;
  }

  private members(key: string): Set<string> {
    let members = this.byKey.get(key);
    if (members === undefined) {
      members = new Set();
      this.byKey.set(key, members);
    }
    return members;
  }
}

function ranksBefore(a: Claimant, b: Claimant): boolean {
  if (a.claimedAt !== b.claimedAt) return a.claimedAt < b.claimedAt;
  return a.senderId < b.senderId;
}

function sameClaim(a: NickClaim, b: NickClaim): boolean {
  return a.nick === b.nick && a.key === b.key && a.claimedAt === b.claimedAt;
}
