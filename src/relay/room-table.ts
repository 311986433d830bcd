/**
 * Rooms (the seed's "Channels / rooms" variant): named broadcast domains. A room exists while it has
 * members; its name is unique under the same look-alike rules as nicknames.
 */
import type { Session } from './session-table.ts';

export interface RoomBan {
  /** The account key of a registered nick, or null for an address ban. */
  readonly account: string | null;
  /** The source host of an unregistered nick (its port changes too easily to ban on). */
  readonly host: string | null;
  /** The nick key the ban was made for, so `/unban #room nick` finds it. */
  readonly nickKey: string;
  readonly nick: string;
}

export interface Room {
  readonly name: string;
  readonly key: string;
  topic: string;
  readonly members: Set<Session>;
  readonly operators: Set<Session>;
  inviteOnly: boolean;
  /** Nick keys invited while the room is invite-only. */
  readonly invited: Set<string>;
  readonly bans: RoomBan[];
}

export class RoomTable {
  private readonly byKey = new Map<string, Room>();

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): Room | undefined {
    return this.byKey.get(key);
  }

  /** The room, created if needed; its first member becomes its operator (see `addMember`). */
  getOrCreate(name: string, key: string): Room {
    let room = this.byKey.get(key);
    if (room === undefined) {
      room = {
        name,
        key,
        topic: '',
        members: new Set(),
        operators: new Set(),
        inviteOnly: false,
        invited: new Set(),
        bans: [],
      };
      this.byKey.set(key, room);
    }
    return room;
  }

  addMember(room: Room, session: Session): void {
    if (room.members.size === 0) room.operators.add(session);
    room.members.add(session);
    session.rooms.add(room);
  }

  /** Removes a member; a room with no members left disappears. */
  removeMember(room: Room, session: Session): void {
    room.members.delete(session);
    room.operators.delete(session);
    session.rooms.delete(room);
    if (room.members.size === 0) this.byKey.delete(room.key);
  }

  values(): IterableIterator<Room> {
    return this.byKey.values();
  }
}
