/**
 * The rooms' kept state the bus read at hello (`room-states`), taken by this relay: it replaces the
 * cluster's record of every room (room-state.ts), so a relay started after a ban, a topic or a mode was
 * set knows it before it serves anyone, and a relay back from an outage recovers what the stream's cap
 * dropped. The bus delivers it at the point of the event stream it was read at, so what the record held
 * from earlier events is superseded and later events apply on top of it.
 * Rooms this relay already has (kept in its --db, or live through an outage) gain what the cluster adds
 * (bans, invitations, operators among their members, a topic or +i they lack) and lose nothing: a change
 * made here and still waiting in the outbox comes back as an event and must not be undone meanwhile.
 * A ban it learns this way ejects the members here it matches (one may have joined while this relay was
 * cut off from the cluster), as the ban's event would have.
 * Nothing read from the bus is trusted: keys, nicks, topics and masks are checked again.
 */
import { codePointLength } from '../../protocol/codec.ts';
import { MAX_NICK_CHARS, MAX_TOPIC_CHARS } from '../../protocol/limits.ts';
import * as mod from '../../protocol/moderation-messages.ts';
import type { ClusterRoomSnapshot } from '../cluster-bus.ts';
import type { RelayContext } from '../context.ts';
import { matchesBan } from '../moderation/bans.ts';
import { ejectFromRoom } from '../moderation/ejection.ts';
import type { Room, RoomBan } from '../session.ts';
import { readBanMask, shown } from './moderation.ts';
import type { ClusterRoomState, ClusterRoomStates } from './room-state.ts';
import { sameBan } from './room-state.ts';

/** Room keys are folded room names (`#` and a nick's length); nick keys are folded nicks. */
function validKey(key: string, max: number): boolean {
  return key !== '' && codePointLength(key) <= max;
}

export function roomStatesRead(ctx: RelayContext, snapshots: readonly ClusterRoomSnapshot[]): void {
  const cluster = ctx.cluster;
  if (cluster === null) return;
  cluster.rooms.clear();
  for (const snapshot of snapshots) takeSnapshot(cluster.rooms, snapshot);
  for (const room of ctx.rooms.values()) {
    const state = cluster.rooms.get(room.key);
    if (state !== undefined) mergeIntoRoom(ctx, room, state);
  }
}

function takeSnapshot(states: ClusterRoomStates, snapshot: ClusterRoomSnapshot): void {
  const { roomKey } = snapshot;
  if (!roomKey.startsWith('#') || !validKey(roomKey, MAX_NICK_CHARS + 1)) return;
  const state = states.edit(roomKey);
  if (state === null) return;
  state.topic = snapshot.topic === '' ? '' : (shown(snapshot.topic, MAX_TOPIC_CHARS) ?? '');
  state.inviteOnly = snapshot.inviteOnly === true;
  for (const { nickKey, nick } of snapshot.operators) {
    const safe = shown(nick, MAX_NICK_CHARS);
    if (safe !== null && validKey(nickKey, MAX_NICK_CHARS)) states.setOperator(roomKey, nickKey, safe, true);
  }
  for (const nickKey of snapshot.invited)
    if (validKey(nickKey, MAX_NICK_CHARS)) states.invite(roomKey, nickKey);
  for (const mask of snapshot.bans) {
    const ban = readBanMask(mask);
    // A request (no account, no host) is never kept by the bus; one read back is ignored all the same.
    if (ban !== null && (ban.account !== null || ban.host !== null)) states.ban(roomKey, ban);
  }
}

function mergeIntoRoom(ctx: RelayContext, room: Room, state: ClusterRoomState): void {
  let changed = false;
  const learnt: RoomBan[] = [];
  for (const ban of state.bans) {
    if (room.bans.some((kept) => sameBan(kept, ban))) continue;
    room.bans.push(ban);
    learnt.push(ban);
    changed = true;
  }
  for (const nickKey of state.invited) {
    if (room.invited.has(nickKey)) continue;
    room.invited.add(nickKey);
    changed = true;
  }
  if (room.topic === '' && state.topic !== '') {
    room.topic = state.topic;
    changed = true;
  }
  if (!room.inviteOnly && state.inviteOnly) {
    room.inviteOnly = true;
    changed = true;
  }
  for (const member of room.members) {
    if (room.operators.has(member) || !state.operators.has(member.nickKey)) continue;
    ctx.rooms.keeper.addOperator(room, member);
    changed = true;
  }
  if (changed) ctx.rooms.changed(room);
  ejectBanned(ctx, room, learnt);
}

/** Members a newly learnt ban matches leave the room, told in the words of a ban's kick (no banner known). */
function ejectBanned(ctx: RelayContext, room: Room, bans: readonly RoomBan[]): void {
  if (bans.length === 0) return;
  const banned = [...room.members].filter((member) => bans.some((ban) => matchesBan(ban, member)));
  for (const member of banned) ejectFromRoom(ctx, room, member, mod.kickedForBan(member.nick));
}
