/**
 * How a room's kept moderation state changes, in one place for the in-process back end; the Redis apply
 * script (redis/scripts/common.ts, `room_state`) follows the same rules in Lua. They are the rules each
 * relay keeps its own record by (relay/cluster/room-state.ts): a topic or mode replaces the last; an
 * operator, an invitation or a ban is added up to MAX_KEPT_PER_ROOM; a ban drops the nick's invitation;
 * an unban drops every ban of the nick; a kick or a member leaving drops its operator status; a ban
 * without account or host is a request (the banned client's relay answers it with the real ban) and
 * changes nothing. A state with nothing in it is not kept, and at most MAX_KEPT_ROOMS rooms are.
 */
import type { ClusterRoomSnapshot, RoomChange } from '../relay/cluster-bus.ts';

export const MAX_KEPT_ROOMS = 10_000;
export const MAX_KEPT_PER_ROOM = 100;

export interface KeptRoomState {
  topic: string;
  inviteOnly: boolean;
  /** nickKey → nick */
  readonly operators: Map<string, string>;
  readonly bans: string[];
  readonly invited: Set<string>;
}

interface BanFields {
  readonly nickKey: string;
  readonly account: unknown;
  readonly host: unknown;
}

function banFields(mask: string): BanFields | null {
  try {
    const value: unknown = JSON.parse(mask);
    if (typeof value !== 'object' || value === null) return null;
    const o = value as Record<string, unknown>;
    return typeof o.nickKey === 'string' ? { nickKey: o.nickKey, account: o.account, host: o.host } : null;
  } catch {
    return null;
  }
}

export class KeptRoomStates {
  private readonly rooms = new Map<string, KeptRoomState>();

  /** Applies one room event's change. */
  change(roomKey: string, change: RoomChange): void {
    this.edit(roomKey, (state) => changeState(state, change));
  }

  /** A member left the room (or was released): its operator status goes with it. */
  left(roomKey: string, nickKey: string): void {
    if (this.rooms.has(roomKey)) this.edit(roomKey, (state) => state.operators.delete(nickKey));
  }

  /** Makes `nickKey` the room's only operator (its first member). */
  firstOperator(roomKey: string, nickKey: string, nick: string): void {
    this.edit(roomKey, (state) => {
      state.operators.clear();
      state.operators.set(nickKey, nick);
    });
  }

  snapshots(): ClusterRoomSnapshot[] {
    return [...this.rooms].map(([roomKey, state]) => ({
      roomKey,
      topic: state.topic,
      inviteOnly: state.inviteOnly,
      operators: [...state.operators].map(([nickKey, nick]) => ({ nickKey, nick })),
      bans: [...state.bans],
      invited: [...state.invited],
    }));
  }

  private edit(roomKey: string, apply: (state: KeptRoomState) => void): void {
    let state = this.rooms.get(roomKey);
    const known = state !== undefined;
    state ??= { topic: '', inviteOnly: false, operators: new Map(), bans: [], invited: new Set() };
    apply(state);
    if (isPlain(state)) this.rooms.delete(roomKey);
    else if (known || this.rooms.size < MAX_KEPT_ROOMS) this.rooms.set(roomKey, state);
  }
}

function changeState(state: KeptRoomState, change: RoomChange): void {
  switch (change.type) {
    case 'topic':
      state.topic = change.topic;
      return;
    case 'invite-only':
      state.inviteOnly = change.on;
      return;
    case 'operator':
      if (!change.on) state.operators.delete(change.nickKey);
      else if (state.operators.size < MAX_KEPT_PER_ROOM) state.operators.set(change.nickKey, change.nick);
      return;
    case 'kick':
      state.operators.delete(change.nickKey);
      return;
    case 'invite':
      if (state.invited.size < MAX_KEPT_PER_ROOM) state.invited.add(change.nickKey);
      return;
    case 'ban':
      changeBans(state, change.mask, change.on);
      return;
    case 'kill':
    case 'rename':
      // Told on the lobby's key; the leaves (and joins) that follow change what the member held.
      return;
  }
}

function changeBans(state: KeptRoomState, mask: string, on: boolean): void {
  const ban = banFields(mask);
  if (ban === null) return;
  if (!on) {
    const kept = state.bans.filter((other) => banFields(other)?.nickKey !== ban.nickKey);
    state.bans.splice(0, state.bans.length, ...kept);
    return;
  }
  if (ban.account === null && ban.host === null) return;
  if (state.bans.length >= MAX_KEPT_PER_ROOM) return;
  state.invited.delete(ban.nickKey);
  const same = (other: string): boolean => {
    const kept = banFields(other);
    return kept?.nickKey === ban.nickKey && kept.account === ban.account && kept.host === ban.host;
  };
  if (!state.bans.some(same)) state.bans.push(mask);
}

function isPlain(state: KeptRoomState): boolean {
  return (
    state.topic === '' &&
    !state.inviteOnly &&
    state.operators.size === 0 &&
    state.bans.length === 0 &&
    state.invited.size === 0
  );
}
