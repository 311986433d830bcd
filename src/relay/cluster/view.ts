/**
 * What this relay knows of the rest of the cluster: whether the bus is connected, the members other
 * relays serve in each room (from presence events and members snapshots), the lines this relay
 * delivered itself while the bus was away (so their echo from the bus, after it returns, is not shown
 * twice), and the nick claims waiting for the bus's answer.
 */
import type { Address } from '../../protocol/address.ts';
import { lookalikeKey } from '../../protocol/lookalike.ts';
import { LOBBY } from '../../protocol/messages.ts';
import type { TicketContent } from '../../protocol/v2/resume-ticket.ts';
import type { ClusterMember } from '../cluster-bus.ts';
import type { Registration } from '../registration.ts';
import type { RoomLineInput } from '../store.ts';
import { ClusterRoomStates } from './room-state.ts';

/** Lines remembered as delivered locally while degraded; past it the oldest is forgotten. */
const MAX_LOCAL_ONLY = 10_000;
/** Room names remembered for `/rooms`; past it, new rooms from other relays go unlisted by name. */
const MAX_ROOM_NAMES = 10_000;

export interface PendingClaim {
  readonly from: Address;
  readonly who: Registration;
  /** A proven resumption's ticket: its rooms are restored once the claim is won. */
  readonly resume?: TicketContent;
  /** A `/nick` of the session at `from` (its old nick is released once the new one is won). */
  readonly rename?: boolean;
}

export const LOBBY_KEY = lookalikeKey(LOBBY);

/** One line's identity, as this relay said it and as the bus echoes it back. */
export function lineIdentity(line: RoomLineInput): string {
  return `${line.roomKey}\n${line.at}\n${line.nick}\n${line.kind}\n${line.text}`;
}

export class ClusterView {
  connected = false;
  readonly pendingClaims = new Map<number, PendingClaim>();
  /** Every room's moderation state as the cluster told it (cluster/moderation.ts). */
  readonly rooms = new ClusterRoomStates();
  private claimIds = 0;
  /** roomKey → nickKey → member, for members of other relays only. */
  private readonly remote = new Map<string, Map<string, ClusterMember>>();
  private readonly localOnly = new Set<string>();
  /** roomKey → the room's name as last seen from the cluster (a line, a join), for `/rooms`. */
  private readonly names = new Map<string, string>();

  constructor(readonly nodeId: string) {}

  nextClaimId(): number {
    return ++this.claimIds;
  }

  isClaiming(from: Address, nickKey: string): boolean {
    for (const pending of this.pendingClaims.values()) {
      if (pending.who.key === nickKey) return true;
      if (pending.from.host === from.host && pending.from.port === from.port) return true;
    }
    return false;
  }

  remoteMembers(roomKey: string): Iterable<ClusterMember> {
    return this.remote.get(roomKey)?.values() ?? [];
  }

  remoteCount(roomKey: string): number {
    return this.remote.get(roomKey)?.size ?? 0;
  }

  /** A nick another relay serves (everyone registered is in the lobby). */
  remoteNick(nickKey: string): ClusterMember | undefined {
    return this.remote.get(LOBBY_KEY)?.get(nickKey);
  }

  /** False if the member was already known there. */
  add(roomKey: string, member: ClusterMember): boolean {
    let room = this.remote.get(roomKey);
    if (room === undefined) {
      room = new Map();
      this.remote.set(roomKey, room);
    }
    const known = room.get(member.nickKey);
    room.set(member.nickKey, member);
    return known?.node !== member.node;
  }

  /** The member that left, or undefined if it was not known there. */
  remove(roomKey: string, nickKey: string): ClusterMember | undefined {
    const room = this.remote.get(roomKey);
    const member = room?.get(nickKey);
    if (room === undefined || member === undefined) return undefined;
    room.delete(nickKey);
    if (room.size === 0) this.remote.delete(roomKey);
    return member;
  }

  /** Takes a departing member out of every room; the rooms it was in. */
  removeEverywhere(nickKey: string, node: string): string[] {
    const rooms: string[] = [];
    for (const [roomKey, room] of this.remote) {
      if (room.get(nickKey)?.node !== node) continue;
      rooms.push(roomKey);
      room.delete(nickKey);
      if (room.size === 0) this.remote.delete(roomKey);
    }
    return rooms;
  }

  /** A member another relay took over (a resumption): it is in the same rooms, now on `to`. */
  /** A member of another relay renamed: known by its new nick in every room it was in; those rooms. */
  renameEverywhere(oldKey: string, renamed: ClusterMember): string[] {
    const rooms: string[] = [];
    for (const [roomKey, room] of this.remote) {
      if (room.get(oldKey)?.node !== renamed.node) continue;
      rooms.push(roomKey);
      room.delete(oldKey);
      room.set(renamed.nickKey, renamed);
    }
    return rooms;
  }

  moveEverywhere(nickKey: string, from: string, to: string): void {
    for (const room of this.remote.values()) {
      const member = room.get(nickKey);
      if (member?.node === from) room.set(nickKey, { ...member, node: to });
    }
  }

  /** A members snapshot replaces what was known of the room. */
  replace(roomKey: string, members: readonly ClusterMember[]): void {
    const room = new Map<string, ClusterMember>();
    for (const member of members) if (member.node !== this.nodeId) room.set(member.nickKey, member);
    if (room.size === 0) this.remote.delete(roomKey);
    else this.remote.set(roomKey, room);
  }

  /** True when the cluster knows `nickKey` as an operator of the room (for members of other relays). */
  isOperator(roomKey: string, nickKey: string): boolean {
    return this.rooms.get(roomKey)?.operators.has(nickKey) ?? false;
  }

  /** How a room is written, if the cluster said it (a line in it). */
  roomName(roomKey: string): string | undefined {
    return this.names.get(roomKey);
  }

  /** Remembers how a room is written (its key is a look-alike key, not for showing). */
  nameRoom(roomKey: string, name: string): void {
    if (this.names.size >= MAX_ROOM_NAMES && !this.names.has(roomKey)) return;
    this.names.set(roomKey, name);
  }

  /** Rooms with members on other relays only (`isLocal` says which this relay has), with a known name. */
  remoteOnlyRooms(isLocal: (roomKey: string) => boolean): { name: string; count: number; topic: string }[] {
    const rooms: { name: string; count: number; topic: string }[] = [];
    for (const [roomKey, members] of this.remote) {
      const name = this.names.get(roomKey);
      const topic = this.rooms.get(roomKey)?.topic ?? '';
      if (name !== undefined && !isLocal(roomKey)) rooms.push({ name, count: members.size, topic });
    }
    return rooms;
  }

  /** Every room this relay knows remote members of. */
  knownRooms(): string[] {
    return [...this.remote.keys()];
  }

  deliveredLocally(line: RoomLineInput): void {
    if (this.localOnly.size >= MAX_LOCAL_ONLY) {
      const oldest = this.localOnly.values().next();
      if (oldest.done !== true) this.localOnly.delete(oldest.value);
    }
    this.localOnly.add(lineIdentity(line));
  }

  /** True (once) for a line of ours that was already delivered here while the bus was away. */
  takeDeliveredLocally(line: RoomLineInput): boolean {
    return this.localOnly.delete(lineIdentity(line));
  }
}
