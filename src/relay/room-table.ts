/**
 * Rooms (the seed's "Channels / rooms" variant): named broadcast domains. A room exists while it has
 * members; its name is unique under the same look-alike rules as nicknames.
 */
import type { Room, Session } from './session.ts';

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
