/**
 * A room's moderation state as the cluster last told it (topics, modes, operators, bans, invitations from
 * every relay's `room` events), kept for every room, so a relay where the room is created later starts it
 * with the same state and the same operators as the rest of the cluster. Bounded: past MAX_ROOM_STATES,
 * new rooms are not remembered (they start plain on relays that create them later).
 */
import type { RoomBan } from '../session.ts';

const MAX_ROOM_STATES = 10_000;
const MAX_REMEMBERED_PER_ROOM = 100;

export interface ClusterRoomState {
  topic: string;
  inviteOnly: boolean;
  readonly invited: Set<string>;
  readonly bans: RoomBan[];
  /** nickKey → nick of the room's operators, wherever they are served. */
  readonly operators: Map<string, string>;
}

export class ClusterRoomStates {
  private readonly rooms = new Map<string, ClusterRoomState>();

  get(roomKey: string): ClusterRoomState | undefined {
    return this.rooms.get(roomKey);
  }

  /** The room's state, made plain if it was unknown; null when the bound is reached. */
  edit(roomKey: string): ClusterRoomState | null {
    let state = this.rooms.get(roomKey);
    if (state === undefined) {
      if (this.rooms.size >= MAX_ROOM_STATES) return null;
      state = { topic: '', inviteOnly: false, invited: new Set(), bans: [], operators: new Map() };
      this.rooms.set(roomKey, state);
    }
    return state;
  }

  setOperator(roomKey: string, nickKey: string, nick: string, on: boolean): void {
    const state = this.edit(roomKey);
    if (state === null) return;
    if (!on) state.operators.delete(nickKey);
    else if (state.operators.size < MAX_REMEMBERED_PER_ROOM) state.operators.set(nickKey, nick);
  }

  invite(roomKey: string, nickKey: string): void {
    const state = this.edit(roomKey);
    if (state !== null && state.invited.size < MAX_REMEMBERED_PER_ROOM) state.invited.add(nickKey);
  }

  ban(roomKey: string, ban: RoomBan): void {
    const state = this.edit(roomKey);
    if (state === null || state.bans.length >= MAX_REMEMBERED_PER_ROOM) return;
    state.invited.delete(ban.nickKey);
    if (!state.bans.some((kept) => sameBan(kept, ban))) state.bans.push(ban);
  }

  unban(roomKey: string, nickKey: string): void {
    const state = this.rooms.get(roomKey);
    if (state === undefined) return;
    const kept = state.bans.filter((ban) => ban.nickKey !== nickKey);
    state.bans.splice(0, state.bans.length, ...kept);
  }

  /** A member left the room: its operator status goes with it (room-keeper.ts, on one relay). */
  left(roomKey: string, nickKey: string): void {
    this.rooms.get(roomKey)?.operators.delete(nickKey);
  }

  /** The back end lost its state (`reset`): what it told us is gone with it. */
  clear(): void {
    this.rooms.clear();
  }
}

export function sameBan(a: RoomBan, b: RoomBan): boolean {
  return a.nickKey === b.nickKey && a.account === b.account && a.host === b.host;
}
