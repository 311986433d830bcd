/**
 * Moderation across the relays of a cluster: a room state change made on one relay (topic, invite-only,
 * operator, ban, unban, invitation, kick) is announced on the bus as a `room` event, and every relay
 * applies it to its own copy of the room and tells its own members in the words a single relay uses.
 *
 * - A change a relay makes is applied there at once; its own echo from the bus only updates the
 *   cluster's record of the room (room-state.ts), except a kick, which every relay (the kicker's too)
 *   applies from the event, so a kick of a member another relay serves is told once everywhere.
 * - A ban needs the banned client's account or source host, which only its own relay knows: a ban of a
 *   nick another relay serves goes out as a request (no account, no host), that relay lays the real ban
 *   and announces it, and every relay applies that one.
 * - A server operator's `/kill` of a client another relay serves goes out as a `kill` on the lobby's key:
 *   the victim's relay tells it and disconnects it; every relay tells its own members who shared a room with
 *   it, once (the victim's leaves, which follow, find it gone here and say nothing).
 * Nothing read from the bus is trusted: nicks, topics and reasons are sanitised and sized again.
 */
import { codePointLength } from '../../protocol/codec.ts';
import { MAX_NICK_CHARS, MAX_TOPIC_CHARS } from '../../protocol/limits.ts';
import { lookalikeKey } from '../../protocol/lookalike.ts';
import * as wire from '../../protocol/messages.ts';
import * as mod from '../../protocol/moderation-messages.ts';
import { sanitizeText } from '../../protocol/sanitize.ts';
import type { ClusterEvent, ClusterMember, RoomChange } from '../cluster-bus.ts';
import type { RelayContext } from '../context.ts';
import { banFor, matchesBan } from '../moderation/bans.ts';
import { ejectFromRoom } from '../moderation/ejection.ts';
import type { Room, RoomBan, Session } from '../session.ts';
import { remoteDeparture } from './departure.ts';
import type { ClusterRoomStates } from './room-state.ts';
import { sameBan } from './room-state.ts';

type RoomEvent = Extract<ClusterEvent, { type: 'room' }>;

export function announceRoomChange(ctx: RelayContext, room: Room, by: string, change: RoomChange): void {
  if (ctx.cluster !== null) ctx.toCluster({ type: 'room', roomKey: room.key, by, change });
}

/** A member of `room` that another relay serves, by nick (look-alikes included). */
export function remoteMemberOf(ctx: RelayContext, room: Room, nick: string): ClusterMember | undefined {
  const key = lookalikeKey(nick);
  for (const member of ctx.cluster?.remoteMembers(room.key) ?? []) if (member.nickKey === key) return member;
  return undefined;
}

/** A ban as it travels: its fields as JSON, in the event's `mask`. */
export function banMask(ban: RoomBan): string {
  return JSON.stringify({ account: ban.account, host: ban.host, nickKey: ban.nickKey, nick: ban.nick });
}

/** A ban of a nick another relay serves: a request that relay answers with the real ban. */
export function banRequest(member: ClusterMember): string {
  return banMask({ account: null, host: null, nickKey: member.nickKey, nick: member.nick });
}

export function readBanMask(mask: string): RoomBan | null {
  let value: unknown;
  try {
    value = JSON.parse(mask);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const o = value as Record<string, unknown>;
  const nullableText = (field: unknown): field is string | null =>
    field === null || typeof field === 'string';
  if (!nullableText(o.account) || !nullableText(o.host)) return null;
  if (typeof o.nickKey !== 'string' || typeof o.nick !== 'string') return null;
  const nick = shown(o.nick, MAX_NICK_CHARS);
  if (nick === null) return null;
  return { account: o.account, host: o.host, nickKey: o.nickKey, nick };
}

/** The cluster's record of the room, given to a room this relay creates (RoomTable's policy). */
export function adoptClusterState(states: ClusterRoomStates, room: Room): void {
  const state = states.get(room.key);
  if (state === undefined) return;
  room.topic = state.topic;
  room.inviteOnly = state.inviteOnly;
  for (const key of state.invited) room.invited.add(key);
  for (const ban of state.bans) if (!room.bans.some((kept) => sameBan(kept, ban))) room.bans.push(ban);
}

export function roomChanged(ctx: RelayContext, event: RoomEvent): void {
  const cluster = ctx.cluster;
  const by = shown(event.by, MAX_NICK_CHARS);
  if (cluster === null || by === null) return;
  const ours = event.node === cluster.nodeId;
  const room = ctx.rooms.get(event.roomKey);
  const { change } = event;
  switch (change.type) {
    case 'topic':
      topicChanged(ctx, event.roomKey, room, ours, by, change.topic);
      return;
    case 'invite-only':
      inviteOnlyChanged(ctx, event.roomKey, room, ours, by, change.on);
      return;
    case 'operator':
      operatorChanged(ctx, event.roomKey, room, ours, by, change);
      return;
    case 'kick':
      kicked(ctx, event.roomKey, room, by, change);
      return;
    case 'ban':
      banChanged(ctx, event.roomKey, room, ours, by, change.mask, change.on);
      return;
    case 'invite':
      invited(ctx, event.roomKey, room, ours, by, change);
      return;
    case 'kill':
      killedInCluster(ctx, ours, by, change);
      return;
    case 'rename':
      if (!ours) renamedInCluster(ctx, event.node, change);
      return;
  }
}

function topicChanged(
  ctx: RelayContext,
  roomKey: string,
  room: Room | undefined,
  ours: boolean,
  by: string,
  raw: string,
): void {
  const topic = raw === '' ? '' : shown(raw, MAX_TOPIC_CHARS);
  const state = ctx.cluster?.rooms.edit(roomKey);
  if (topic === null) return;
  if (state) state.topic = topic;
  if (ours || room === undefined) return;
  room.topic = topic;
  ctx.rooms.changed(room);
  ctx.toRoom(room, wire.topicSetBy(by, topic));
}

function inviteOnlyChanged(
  ctx: RelayContext,
  roomKey: string,
  room: Room | undefined,
  ours: boolean,
  by: string,
  on: boolean,
): void {
  const state = ctx.cluster?.rooms.edit(roomKey);
  if (state) state.inviteOnly = on;
  if (ours || room === undefined || room.inviteOnly === on) return;
  room.inviteOnly = on;
  ctx.rooms.changed(room);
  ctx.toRoom(room, on ? mod.inviteOnlySet(by, room.name) : mod.inviteOnlyCleared(by, room.name));
}

function operatorChanged(
  ctx: RelayContext,
  roomKey: string,
  room: Room | undefined,
  ours: boolean,
  by: string,
  change: Extract<RoomChange, { type: 'operator' }>,
): void {
  const nick = shown(change.nick, MAX_NICK_CHARS);
  if (nick === null) return;
  ctx.cluster?.rooms.setOperator(roomKey, change.nickKey, nick, change.on);
  if (room === undefined) return;
  // A first member is announced by itself: the bus's atomic join made it the operator (JoinOptions).
  const first = change.on && lookalikeKey(by) === change.nickKey;
  if (ours && first) {
    firstOperatorHere(ctx, room, change.nickKey);
    return;
  }
  if (ours) return;
  const member = ctx.sessions.ownerOfNick(change.nickKey);
  if (member !== undefined && room.members.has(member) && change.on) {
    ctx.rooms.keeper.addOperator(room, member);
    ctx.rooms.changed(room);
  }
  if (change.on && !first) ctx.toRoom(room, mod.madeOperator(by, nick));
}

/** Our member was the room's first in the cluster: it is made operator here, and told (once). */
function firstOperatorHere(ctx: RelayContext, room: Room, nickKey: string): void {
  const member = ctx.sessions.ownerOfNick(nickKey);
  if (member === undefined || !room.members.has(member) || room.operators.has(member)) return;
  ctx.rooms.keeper.addOperator(room, member);
  ctx.rooms.changed(room);
  ctx.toRoom(room, mod.nowOperator(member.nick));
}

function kicked(
  ctx: RelayContext,
  roomKey: string,
  room: Room | undefined,
  by: string,
  change: Extract<RoomChange, { type: 'kick' }>,
): void {
  const nick = shown(change.nick, MAX_NICK_CHARS);
  const reason = change.reason === '' ? '' : shown(change.reason, MAX_TOPIC_CHARS);
  if (nick === null || reason === null) return;
  ctx.cluster?.rooms.left(roomKey, change.nickKey);
  if (room === undefined) return;
  const notice = mod.kicked(nick, by, reason);
  const victim = ctx.sessions.ownerOfNick(change.nickKey);
  if (victim !== undefined && room.members.has(victim)) ejectFromRoom(ctx, room, victim, notice);
  // A member another relay serves: its relay ejects it; here its members hear the kick once (the
  // relay's later presence event finds it gone and says nothing).
  else if (ctx.cluster?.remove(roomKey, change.nickKey) !== undefined) ctx.toRoom(room, notice);
}

function banChanged(
  ctx: RelayContext,
  roomKey: string,
  room: Room | undefined,
  ours: boolean,
  by: string,
  mask: string,
  on: boolean,
): void {
  const ban = readBanMask(mask);
  const cluster = ctx.cluster;
  if (ban === null || cluster === null) return;
  if (!on) {
    cluster.rooms.unban(roomKey, ban.nickKey);
    if (ours || room === undefined) return;
    const kept = room.bans.filter((kept) => kept.nickKey !== ban.nickKey);
    if (kept.length === room.bans.length) return;
    room.bans.splice(0, room.bans.length, ...kept);
    ctx.rooms.changed(room);
    ctx.toRoom(room, mod.unbannedBy(by, ban.nick));
    return;
  }
  if (ban.account === null && ban.host === null) {
    banRequested(ctx, roomKey, room, by, ban.nickKey);
    return;
  }
  cluster.rooms.ban(roomKey, ban);
  if (!ours && room !== undefined) layBan(ctx, room, by, ban);
}

/** Another relay banned a nick this relay serves: the real ban is laid here, then told to the cluster. */
function banRequested(
  ctx: RelayContext,
  roomKey: string,
  room: Room | undefined,
  by: string,
  nickKey: string,
): void {
  const victim = ctx.sessions.ownerOfNick(nickKey);
  if (victim === undefined) return;
  const ban = banFor(victim);
  ctx.cluster?.rooms.ban(roomKey, ban);
  ctx.toCluster({ type: 'room', roomKey, by, change: { type: 'ban', mask: banMask(ban), on: true } });
  if (room !== undefined) layBan(ctx, room, by, ban);
}

function layBan(ctx: RelayContext, room: Room, by: string, ban: RoomBan): void {
  if (!room.bans.some((kept) => sameBan(kept, ban))) room.bans.push(ban);
  room.invited.delete(ban.nickKey);
  ctx.rooms.changed(room);
  ctx.toRoom(room, mod.bannedBy(by, ban.nick));
  const banned: Session[] = [];
  for (const member of room.members) if (matchesBan(ban, member)) banned.push(member);
  for (const member of banned)
    ejectFromRoom(ctx, room, member, mod.kicked(member.nick, by, mod.BANNED_REASON));
}

function invited(
  ctx: RelayContext,
  roomKey: string,
  room: Room | undefined,
  ours: boolean,
  by: string,
  change: Extract<RoomChange, { type: 'invite' }>,
): void {
  ctx.cluster?.rooms.invite(roomKey, change.nickKey);
  if (ours) return;
  if (room !== undefined) room.invited.add(change.nickKey);
  const invitee = ctx.sessions.ownerOfNick(change.nickKey);
  // A room never seen here is named by its key (a checked name, folded): the invitation holds either way.
  const name = room?.name ?? ctx.cluster?.roomName(roomKey) ?? shown(roomKey, MAX_NICK_CHARS + 1);
  if (invitee !== undefined && name !== null) ctx.send(invitee, mod.invitesYou(by, name));
}

/**
 * A kill from the bus. The killer's relay acted on a client of its own at once (the event is for the
 * others), so only another relay's event may disconnect a client here.
 */
function killedInCluster(
  ctx: RelayContext,
  ours: boolean,
  by: string,
  change: Extract<RoomChange, { type: 'kill' }>,
): void {
  const reason = change.reason === '' ? '' : shown(change.reason, MAX_TOPIC_CHARS);
  if (reason === null) return;
  const detail = mod.killDetail(by, reason);
  const victim = ctx.sessions.ownerOfNick(change.nickKey);
  if (victim !== undefined) {
    if (ours) return;
    ctx.send(victim, mod.youWereKilled(by, reason));
    ctx.depart(victim, 'killed', detail);
    return;
  }
  const member = ctx.cluster?.remoteNick(change.nickKey);
  if (member !== undefined) remoteDeparture(ctx, member, 'killed', detail);
}

/** Another relay's member took a new nick: those here who share a room with it are told once. */
function renamedInCluster(
  ctx: RelayContext,
  node: string,
  change: Extract<RoomChange, { type: 'rename' }>,
): void {
  const cluster = ctx.cluster;
  const [before, after] = [shown(change.nick, MAX_NICK_CHARS), shown(change.newNick, MAX_NICK_CHARS)];
  if (cluster === null || before === null || after === null || lookalikeKey(after) !== change.newKey) return;
  const rooms = cluster.renameEverywhere(change.nickKey, { nickKey: change.newKey, nick: after, node });
  const told = new Set<Session>();
  for (const roomKey of rooms)
    for (const local of ctx.rooms.get(roomKey)?.members ?? []) {
      if (told.has(local)) continue;
      told.add(local);
      ctx.send(local, wire.renamed(before, after));
    }
}

/** A nick or text from the bus as it may be shown, or null when nothing safe is left of it. */
export function shown(text: string, max: number): string | null {
  const safe = sanitizeText(text);
  return safe === '' || codePointLength(safe) > max ? null : safe;
}
