/**
 * What the cluster tells this relay, delivered to its own clients in the words a single relay would
 * use: room lines (with the cluster's ids for v2 members), private lines, joins, parts and departures of
 * members other relays serve, a dead relay's members as timeouts, and a nick this relay lost. Nothing
 * read from the bus is trusted: nicks and text are sanitised and sized again, as kept history is.
 */
import { codePointLength, encodeLine } from '../../protocol/codec.ts';
import { spokenLine } from '../../protocol/history-messages.ts';
import { MAX_LINE_CHARS, MAX_NICK_CHARS, MAX_RELAYED_LINE_BYTES } from '../../protocol/limits.ts';
import { lookalikeKey } from '../../protocol/lookalike.ts';
import * as wire from '../../protocol/messages.ts';
import { checkRoomName } from '../../protocol/nick.ts';
import { sanitizeText } from '../../protocol/sanitize.ts';
import type { ClusterEvent, ClusterMember, DirectLineInput, PresenceReason } from '../cluster-bus.ts';
import { sendToMembers } from '../commands/say.ts';
import type { RelayContext } from '../context.ts';
import type { RoomLine } from '../store.ts';
import { remoteDeparture } from './departure.ts';
import { roomChanged } from './moderation.ts';
import { roomStatesRead } from './room-seed.ts';
import { LOBBY_KEY } from './view.ts';

/** A nick or text from the bus as it may be shown, or null when nothing safe is left of it. */
function shown(text: string, max: number): string | null {
  const safe = sanitizeText(text);
  return safe === '' || codePointLength(safe) > max ? null : safe;
}

export function clusterEvent(ctx: RelayContext, event: ClusterEvent): void {
  const cluster = ctx.cluster;
  if (cluster === null) return;
  switch (event.type) {
    case 'line':
      if (event.node === cluster.nodeId && cluster.takeDeliveredLocally(event.line)) return;
      roomLine(ctx, event.line, event.node === cluster.nodeId);
      return;
    case 'direct':
      directLine(ctx, event.line);
      return;
    case 'presence':
      if (!event.joined) cluster.rooms.left(event.roomKey, event.member.nickKey);
      if (event.node === cluster.nodeId) return;
      if (event.joined) remoteJoin(ctx, event.roomKey, event.member);
      else remoteLeave(ctx, event.roomKey, event.member, event.reason);
      return;
    case 'node-gone':
      for (const { roomKey, member } of event.left) cluster.rooms.left(roomKey, member.nickKey);
      for (const { member } of event.left) remoteDeparture(ctx, member, 'timed out');
      return;
    case 'room':
      roomChanged(ctx, event);
      return;
    case 'nick-lost':
      nickLost(ctx, event.nickKey);
      return;
    case 'nick-taken':
      nickTaken(ctx, event.nickKey, event.from, event.node);
      return;
    case 'room-states':
      roomStatesRead(ctx, event.rooms);
      return;
    case 'gap':
    case 'reset':
      refreshMembers(ctx);
      return;
    default:
      return;
  }
}

/** A members snapshot for a room: replaces what was known of the other relays' members there. */
export function membersAnswered(ctx: RelayContext, roomKey: string, members: readonly ClusterMember[]): void {
  ctx.cluster?.replace(roomKey, members);
}

/** The bus connected or went away; after an absence what other relays serve is asked for again. */
export function statusChanged(ctx: RelayContext, connected: boolean): void {
  const cluster = ctx.cluster;
  if (cluster === null) return;
  const back = connected && !cluster.connected;
  cluster.connected = connected;
  if (back) refreshMembers(ctx);
}

function refreshMembers(ctx: RelayContext): void {
  const keys = new Set([LOBBY_KEY, ...(ctx.cluster?.knownRooms() ?? [])]);
  for (const room of ctx.rooms.values()) keys.add(room.key);
  for (const roomKey of keys) ctx.toCluster({ type: 'members', roomKey });
}

function roomLine(ctx: RelayContext, line: RoomLine, ours: boolean): void {
  const name = checkRoomName(line.roomName);
  if (name.ok && name.key === line.roomKey) ctx.cluster?.nameRoom(line.roomKey, name.nick);
  const room = ctx.rooms.get(line.roomKey);
  const nick = shown(line.nick, MAX_NICK_CHARS);
  const text = shown(line.text, MAX_LINE_CHARS);
  if (room === undefined || nick === null || text === null || !Number.isSafeInteger(line.id)) return;
  const said = wire.inRoom(room.name, spokenLine(line.kind, nick, text));
  const payload = encodeLine(said);
  // Another relay checked it; one of another version might not have (the `\n` is not counted).
  if (payload.byteLength - 1 > MAX_RELAYED_LINE_BYTES) return;
  // Never echoed to its speaker (seed), whichever relay it came back through.
  const speaker = ours ? ctx.sessions.ownerOfNick(lookalikeKey(line.nick)) : undefined;
  const recipients = sendToMembers(ctx, room, payload, speaker, line.id, line.at, said);
  if (speaker !== undefined) {
    ctx.emit({ type: 'relayed', address: speaker.address, nick: speaker.nick, recipients });
  }
}

function directLine(ctx: RelayContext, line: DirectLineInput): void {
  const target = ctx.sessions.ownerOfNick(line.toKey);
  const from = shown(line.fromNick, MAX_NICK_CHARS);
  const text = shown(line.text, MAX_LINE_CHARS);
  if (target === undefined || from === null || text === null) return;
  const said = line.kind === 'action' ? wire.directAction(from, text) : wire.directMessage(from, text);
  const payload = encodeLine(said);
  if (payload.byteLength - 1 <= MAX_RELAYED_LINE_BYTES) ctx.send(target, payload);
}

function remoteJoin(ctx: RelayContext, roomKey: string, member: ClusterMember): void {
  const nick = shown(member.nick, MAX_NICK_CHARS);
  if (nick === null || !ctx.cluster?.add(roomKey, { ...member, nick })) return;
  const room = ctx.rooms.get(roomKey);
  if (room === undefined) return;
  ctx.toRoom(room, roomKey === LOBBY_KEY ? wire.joined(nick) : wire.roomJoined(nick));
}

function remoteLeave(
  ctx: RelayContext,
  roomKey: string,
  member: ClusterMember,
  reason: PresenceReason,
): void {
  if (reason === 'quit' || reason === 'timeout') {
    remoteDeparture(ctx, member, reason === 'quit' ? 'left' : 'timed out');
    return;
  }
  const gone = ctx.cluster?.remove(roomKey, member.nickKey);
  const room = ctx.rooms.get(roomKey);
  if (gone === undefined || room === undefined) return;
  ctx.toRoom(room, wire.roomParted(gone.nick, reason === 'kick' ? 'kicked' : ''));
}

/**
 * A proven resumption moved a member from relay `from` to relay `to`: nobody left, so nothing is said. Here,
 * if `to` is this relay, the member is ours now and not also another relay's (no ghost in /who or member
 * lists); elsewhere it is known on `to` from now on, so its joins there are not news.
 */
function nickTaken(ctx: RelayContext, nickKey: string, from: string, to: string): void {
  const cluster = ctx.cluster;
  if (cluster === null) return;
  if (to === cluster.nodeId) cluster.removeEverywhere(nickKey, from);
  else cluster.moveEverywhere(nickKey, from, to);
}

/** Another relay holds this nick now (it was taken while we were cut off, or by a resumption). */
function nickLost(ctx: RelayContext, nickKey: string): void {
  const session = ctx.sessions.ownerOfNick(nickKey);
  if (session === undefined) return;
  ctx.send(session, wire.nickInUse(session.nick));
  ctx.depart(session, 'killed', 'nick taken on another relay');
}
