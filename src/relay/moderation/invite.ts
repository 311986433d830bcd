/**
 * `/invite <nick> #room`: an operator lets a connected nick into the room even while it is invite-only;
 * the invitee is told `*** alice invites you to #room ***` and the inviter gets a confirmation. As on IRC,
 * an invitation may be sent before the room turns invite-only, is used up by joining, and never lets a
 * banned nick in. The `#room` may be left out for the current room.
 */

import { firstWord } from '../../protocol/command-line.ts';
import { MAX_INVITES_PER_ROOM } from '../../protocol/limits.ts';
import { lookalikeKey } from '../../protocol/lookalike.ts';
import * as wire from '../../protocol/messages.ts';
import * as mod from '../../protocol/moderation-messages.ts';
import { announceRoomChange } from '../cluster/moderation.ts';
import type { CommandInput, SessionCommand } from '../commands/command.ts';
import { roomFromArgs } from '../commands/room-arg.ts';
import type { RelayContext } from '../context.ts';
import type { Room, Session } from '../session.ts';
import { findTarget, requireRoomOperator } from './targets.ts';

function handleInvite(ctx: RelayContext, session: Session, input: CommandInput): void {
  const parsed = parseInvite(ctx, session, input.args);
  if (parsed === null || !requireRoomOperator(ctx, session, parsed.room)) return;
  const { room } = parsed;
  // A nick another relay serves is told by its relay when the invitation reaches it.
  const invitee = inviteTarget(ctx, session, room, parsed.nick);
  if (invitee === null) return;
  room.invited.add(invitee.nickKey);
  ctx.rooms.changed(room);
  if (invitee.local !== null) ctx.send(invitee.local, mod.invitesYou(session.nick, room.name));
  ctx.send(session, wire.inRoom(room.name, mod.youInvited(invitee.nick, room.name)));
  announceRoomChange(ctx, room, session.nick, {
    type: 'invite',
    nickKey: invitee.nickKey,
    nick: invitee.nick,
  });
}

/** Who is invited: this relay's client (`local`), or a nick another relay serves; null when refused. */
function inviteTarget(
  ctx: RelayContext,
  session: Session,
  room: Room,
  nick: string,
): { readonly nickKey: string; readonly nick: string; readonly local: Session | null } | null {
  const remote = ctx.cluster?.remoteNick(lookalikeKey(nick));
  if (remote !== undefined) return { nickKey: remote.nickKey, nick: remote.nick, local: null };
  const invitee = findTarget(ctx, session, nick);
  if (invitee === null || !canInvite(ctx, session, room, invitee)) return null;
  return { nickKey: invitee.nickKey, nick: invitee.nick, local: invitee };
}

/** IRC's argument order: the nick first, then the room. Null when refused (the sender was told). */
function parseInvite(ctx: RelayContext, session: Session, args: string): { nick: string; room: Room } | null {
  const [nick, roomArgs] = firstWord(args);
  if (nick === '') return usage(ctx, session);
  const target = roomFromArgs(ctx, session, roomArgs, false);
  if (target === null) return null;
  return target.rest === '' ? { nick, room: target.room } : usage(ctx, session);
}

function usage(ctx: RelayContext, session: Session): null {
  ctx.refuse(session.address, session, 'usage', wire.usage(inviteCommand.syntax));
  return null;
}

function canInvite(ctx: RelayContext, session: Session, room: Room, invitee: Session): boolean {
  if (room.members.has(invitee)) {
    ctx.refuse(session.address, session, 'usage', mod.alreadyInRoom(invitee.nick, room.name));
    return false;
  }
  if (!room.invited.has(invitee.nickKey) && room.invited.size >= MAX_INVITES_PER_ROOM) {
    ctx.refuse(session.address, session, 'usage', mod.tooManyInvites(room.name, MAX_INVITES_PER_ROOM));
    return false;
  }
  return true;
}

export const inviteCommand: SessionCommand = {
  name: 'invite',
  syntax: '/invite <nick> #room',
  summary: 'let a nick into an invite-only room (operators only)',
  throttled: true,
  open: false,
  handle: handleInvite,
};
