/**
 * What of a room outlives its members (relay/store.ts, KeptRoom): restored when the room is next created,
 * saved whenever it changes. Operators are remembered by identity (an account, or a nick from a host), not
 * by session: a session does not outlive a restart. An identity stays an operator until it leaves the room
 * (as today, operator status belongs to a membership); a relay that stops, cleanly or not, makes no one
 * leave, so its operators get their status back when they rejoin. A room that remembers operators gives
 * nobody else operator status for being first in: that would hand a restarted relay's rooms to whoever
 * reconnects fastest.
 *
 * Without `keepRooms` (no --db) nothing is saved or restored: an empty room is forgotten, as it always was.
 */

import type { Room, Session } from './session.ts';
import type { KeptOperator, KeptRoom, RelayStore } from './store.ts';

export class RoomKeeper {
  constructor(private readonly store: RelayStore | null) {}

  /** Puts the kept state of `room.key` into a room just created (empty). */
  restore(room: Room): void {
    const kept = this.store?.keptRoom(room.key);
    if (kept === undefined) return;
    room.topic = kept.topic;
    room.inviteOnly = kept.inviteOnly;
    for (const key of kept.invited) room.invited.add(key);
    room.bans.push(...kept.bans);
    room.keptOperators.push(...kept.operators);
  }

  /** A member entered: it is an operator if it is a remembered one, or the first into a room with none. */
  admitOperator(room: Room, session: Session): void {
    if (room.keptOperators.some((kept) => matchesOperator(kept, session))) room.operators.add(session);
    else if (room.members.size === 0 && room.keptOperators.length === 0) this.addOperator(room, session);
  }

  /** Makes `session` an operator of `room` and remembers it. */
  addOperator(room: Room, session: Session): void {
    room.operators.add(session);
    if (!room.keptOperators.some((kept) => matchesOperator(kept, session)))
      room.keptOperators.push(operatorFor(session));
  }

  /** An operator left the room: its status goes with it. */
  dropOperator(room: Room, session: Session): void {
    if (!room.operators.delete(session)) return;
    const kept = room.keptOperators.filter((operator) => !matchesOperator(operator, session));
    room.keptOperators.splice(0, room.keptOperators.length, ...kept);
  }

  /** Saves the room's kept state; a room with nothing worth keeping is forgotten instead. */
  save(room: Room): void {
    if (this.store === null) return;
    const kept = keptRoomOf(room);
    if (isPlain(kept)) {
      if (this.store.keptRoom(room.key) !== undefined) this.store.forgetRoom(room.key);
    } else this.store.saveRoom(kept);
  }
}

export function keptRoomOf(room: Room): KeptRoom {
  return {
    key: room.key,
    name: room.name,
    topic: room.topic,
    inviteOnly: room.inviteOnly,
    invited: [...room.invited],
    bans: [...room.bans],
    operators: [...room.keptOperators],
  };
}

/** A registered operator is its account; an unregistered one its nick from its host (as bans, bans.ts). */
export function operatorFor(session: Session): KeptOperator {
  return {
    account: session.account,
    nickKey: session.nickKey,
    host: session.account === null ? session.address.host : null,
  };
}

export function matchesOperator(kept: KeptOperator, session: Session): boolean {
  if (kept.account !== null) return session.account === kept.account;
  return session.account === null && session.nickKey === kept.nickKey && session.address.host === kept.host;
}

function isPlain(room: KeptRoom): boolean {
  return (
    room.topic === '' &&
    !room.inviteOnly &&
    room.invited.length === 0 &&
    room.bans.length === 0 &&
    room.operators.length === 0
  );
}
