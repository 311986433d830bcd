/**
 * `/ban #room <nick>`: an operator bans a connected nick's account, or its source host if it has none
 * (bans.ts says why), and kicks it if it is in the room. The nick need not be in the room: a ban may be
 * laid before it arrives. The room is told `*** alice banned bob ***`; the address is never shown.
 */

import { MAX_BANS_PER_ROOM } from '../../protocol/limits.ts';
import { lookalikeKey } from '../../protocol/lookalike.ts';
import * as mod from '../../protocol/moderation-messages.ts';
import { announceRoomChange, banMask, banRequest } from '../cluster/moderation.ts';
import type { ClusterMember } from '../cluster-bus.ts';
import type { CommandInput, SessionCommand } from '../commands/command.ts';
import { roomFromArgs } from '../commands/room-arg.ts';
import type { RelayContext } from '../context.ts';
import type { Room, Session } from '../session.ts';
import { banFor, isBanned } from './bans.ts';
import { ejectFromRoom } from './ejection.ts';
import { findTarget, requireRoomOperator, singleNick } from './targets.ts';

function handleBan(ctx: RelayContext, session: Session, input: CommandInput): void {
  const target = roomFromArgs(ctx, session, input.args, false);
  if (target === null) return;
  const { room } = target;
  const nick = singleNick(ctx, session, target.rest, banCommand.syntax);
  if (nick === null || !requireRoomOperator(ctx, session, room)) return;
  const remote = ctx.cluster?.remoteNick(lookalikeKey(nick));
  if (remote !== undefined) {
    banRemote(ctx, session, room, remote);
    return;
  }
  const victim = findTarget(ctx, session, nick);
  if (victim === null || !canBan(ctx, session, room, victim)) return;
  const ban = banFor(victim);
  room.bans.push(ban);
  // An invitation never outweighs a ban; dropping it keeps a later /unban from reviving it.
  room.invited.delete(victim.nickKey);
  ctx.rooms.changed(room);
  ctx.toRoom(room, mod.bannedBy(session.nick, victim.nick));
  announceRoomChange(ctx, room, session.nick, { type: 'ban', mask: banMask(ban), on: true });
  if (room.members.has(victim))
    ejectFromRoom(ctx, room, victim, mod.kicked(victim.nick, session.nick, mod.BANNED_REASON));
}

/**
 * A nick another relay serves: only that relay knows its account or host, so it lays the ban and tells
 * the cluster, and every relay (this one too) tells its members then (cluster/moderation.ts).
 */
function banRemote(ctx: RelayContext, session: Session, room: Room, member: ClusterMember): void {
  if (room.bans.some((ban) => ban.nickKey === member.nickKey)) {
    ctx.refuse(session.address, session, 'usage', mod.alreadyBanned(member.nick, room.name));
    return;
  }
  announceRoomChange(ctx, room, session.nick, { type: 'ban', mask: banRequest(member), on: true });
}

/** A second ban of the same person would only be a second entry to unban; the list is bounded. */
function canBan(ctx: RelayContext, session: Session, room: Room, victim: Session): boolean {
  if (isBanned(room, victim)) {
    ctx.refuse(session.address, session, 'usage', mod.alreadyBanned(victim.nick, room.name));
    return false;
  }
  if (room.bans.length >= MAX_BANS_PER_ROOM) {
    ctx.refuse(session.address, session, 'usage', mod.tooManyBans(room.name, MAX_BANS_PER_ROOM));
    return false;
  }
  return true;
}

export const banCommand: SessionCommand = {
  name: 'ban',
  syntax: '/ban #room <nick>',
  summary: "ban a nick's account, or its address if unregistered, from the room (operators only)",
  throttled: true,
  open: false,
  handle: handleBan,
};
