/**
 * Registration and room membership, shared by the commands that change them (join, part, nick, kick, the
 * login completion), so every path announces the same lines to the same people.
 */
import type { Address } from '../protocol/address.ts';
import { utf8Length } from '../protocol/codec.ts';
import { MEMBER_LIST_BYTES } from '../protocol/limits.ts';
import { lookalikeKey } from '../protocol/lookalike.ts';
import * as wire from '../protocol/messages.ts';
import { youAreBanned } from '../protocol/moderation-messages.ts';
import { announceJoin, announceLeave, claimNick } from './cluster/outbound.ts';
import type { PresenceReason } from './cluster-bus.ts';
import type { RelayContext } from './context.ts';
import { requestHistory } from './history.ts';
import { isBanned } from './moderation/bans.ts';
import { carriesIds } from './peer.ts';
import type { Registration } from './registration.ts';
import type { Room, Session } from './session.ts';

export type { Registration } from './registration.ts';

/**
 * Registers `from` and puts it in the lobby. The lobby is told `*** nick joined ***` first and then the
 * joiner is welcomed: the seed's order and wording, so a seed client sees exactly what it expects.
 */
export function register(
  ctx: RelayContext,
  from: Address,
  who: Registration,
  claimed = false,
): Session | undefined {
  // In a cluster the nick is claimed for the whole cluster first; the answer registers (cluster/claims.ts).
  if (ctx.cluster !== null && !claimed) {
    claimNick(ctx, from, who);
    return undefined;
  }
  const session = ctx.sessions.add(
    {
      address: from,
      nick: who.nick,
      nickKey: who.key,
      account: who.account,
      serverOperator: who.serverOperator,
    },
    ctx.now,
  );
  const lobby = ctx.rooms.getOrCreate(wire.LOBBY, lookalikeKey(wire.LOBBY));
  // Registration puts everyone in the lobby, so a lobby ban must hold here or /leave + /join would evade it.
  if (isBanned(lobby, session)) {
    ctx.sessions.remove(session);
    ctx.rooms.discardIfEmpty(lobby);
    ctx.refuse(from, undefined, 'banned', youAreBanned(lobby.name));
    return undefined;
  }
  ctx.toRoom(lobby, wire.joined(session.nick));
  const firstHere = lobby.members.size === 0;
  ctx.rooms.addMember(lobby, session);
  announceJoin(ctx, lobby, session, firstHere);
  session.current = lobby;
  ctx.send(session, wire.welcome(session.nick));
  offerHistory(ctx, session, lobby);
  ctx.emit({ type: 'joined', address: from, nick: session.nick });
  return session;
}

/** Joins a room: the members are told, the joiner gets a confirmation, the topic and the member list. */
export function enterRoom(ctx: RelayContext, session: Session, room: Room): void {
  ctx.toRoom(room, wire.roomJoined(session.nick));
  const firstHere = room.members.size === 0;
  ctx.rooms.addMember(room, session);
  announceJoin(ctx, room, session, firstHere);
  // An invitation is used up by joining (IRC).
  if (room.invited.delete(session.nickKey)) ctx.rooms.changed(room);
  session.current = room;
  ctx.send(session, wire.inRoom(room.name, wire.youJoinedRoom(room.name)));
  if (room.topic) ctx.send(session, wire.inRoom(room.name, wire.topicIs(room.topic)));
  const remote = [...(ctx.cluster?.remoteMembers(room.key) ?? [])].map((member) =>
    ctx.cluster?.isOperator(room.key, member.nickKey) ? `@${member.nick}` : member.nick,
  );
  for (const line of memberListLines(room, remote)) ctx.send(session, wire.inRoom(room.name, line));
  offerHistory(ctx, session, room);
}

/** `--history-on-join`: the room's last lines, after the welcome (none for v1 clients unless asked). */
function offerHistory(ctx: RelayContext, session: Session, room: Room): void {
  const { historyOnJoinV1, historyOnJoinV2 } = ctx.settings;
  const limit = carriesIds(session.address) ? historyOnJoinV2 : historyOnJoinV1;
  if (limit > 0) requestHistory(ctx, session, room, { type: 'last', limit }, true);
}

/**
 * Leaves one room; the remaining members are told. The current room moves to the most recently joined
 * room left, so plain lines always have somewhere to go.
 */
export function exitRoom(
  ctx: RelayContext,
  session: Session,
  room: Room,
  notice: string,
  reason: PresenceReason = 'part',
): void {
  ctx.rooms.removeMember(room, session);
  announceLeave(ctx, room, session, reason);
  ctx.toRoom(room, notice);
  if (session.current === room) session.current = lastOf(session.rooms);
}

/**
 * The member list as `*** members: a, b, c ***` lines, split so no datagram exceeds the size limit; in a
 * cluster, `remote` are the members other relays serve, listed after this relay's own.
 */
export function memberListLines(room: Room, remote: readonly string[] = []): string[] {
  const nicks = [...room.members].map((m) => (room.operators.has(m) ? `@${m.nick}` : m.nick));
  nicks.push(...remote);
  const lines: string[] = [];
  let chunk: string[] = [];
  let bytes = 0;
  for (const nick of nicks) {
    const size = utf8Length(nick) + 2;
    if (chunk.length > 0 && bytes + size > MEMBER_LIST_BYTES) {
      lines.push(wire.members(chunk.join(', ')));
      chunk = [];
      bytes = 0;
    }
    chunk.push(nick);
    bytes += size;
  }
  if (chunk.length > 0) lines.push(wire.members(chunk.join(', ')));
  return lines;
}

function lastOf<T>(set: Iterable<T>): T | undefined {
  let last: T | undefined;
  for (const item of set) last = item;
  return last;
}
