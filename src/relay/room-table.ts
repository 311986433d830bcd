/**
 * Rooms (the seed's "Channels / rooms" variant): named broadcast domains. A room exists while it has
 * members; its name is unique under the same look-alike rules as nicknames. What of a room outlives its
 * members (topic, modes, bans, operators) is the keeper's (room-keeper.ts): restored when the room is
 * created again.
 */
import { RoomKeeper } from './room-keeper.ts';
import type { Room, Session } from './session.ts';

/**
 * What a cluster adds to rooms (cluster/moderation.ts): a room created here starts with the state the
 * cluster holds for it, and who becomes its operator on entering is the cluster's call (null: the
 * keeper's rule on this relay alone).
 */
export interface RoomPolicy {
  created(room: Room): void;
  operatorOnEntry(room: Room, session: Session): boolean | null;
}

export class RoomTable {
  private readonly byKey = new Map<string, Room>();

  constructor(
    readonly keeper: RoomKeeper = new RoomKeeper(null),
    private readonly policy: RoomPolicy | null = null,
  ) {}

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): Room | undefined {
    return this.byKey.get(key);
  }

  /** The room, created (with its kept state) if needed; see `addMember` for who becomes its operator. */
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
        keptOperators: [],
      };
      this.keeper.restore(room);
      this.policy?.created(room);
      this.byKey.set(key, room);
    }
    return room;
  }

  /** The first member of a room that remembers no operator becomes its operator (room-keeper.ts). */
  addMember(room: Room, session: Session): void {
    const operators = room.keptOperators.length;
    const verdict = this.policy?.operatorOnEntry(room, session) ?? null;
    if (verdict === null) this.keeper.admitOperator(room, session);
    else if (verdict) this.keeper.addOperator(room, session);
    room.members.add(session);
    session.rooms.add(room);
    if (room.keptOperators.length !== operators) this.keeper.save(room);
  }

  /** Removes a member; a room with no members left disappears. */
  removeMember(room: Room, session: Session): void {
    room.members.delete(session);
    const operators = room.keptOperators.length;
    this.keeper.dropOperator(room, session);
    session.rooms.delete(room);
    if (room.keptOperators.length !== operators) this.keeper.save(room);
    this.discardIfEmpty(room);
  }

  /** A room made only to check who may enter it, and nobody did. */
  discardIfEmpty(room: Room): void {
    if (room.members.size === 0) this.byKey.delete(room.key);
  }

  /** The room's kept state changed (topic, modes, invitations, bans, operators). */
  changed(room: Room): void {
    this.keeper.save(room);
  }

  values(): IterableIterator<Room> {
    return this.byKey.values();
  }
}
