/**
 * `/op #room <nick>`: an operator makes another member an operator (IRC's `MODE #room +o nick`); the whole
 * room is told. The `#room` may be left out for the current room, as IRC clients fill in the channel.
 * Operator status belongs to a membership: it is lost on leaving the room.
 */
import * as mod from '../../protocol/moderation-messages.ts';
import { announceRoomChange, remoteMemberOf } from '../cluster/moderation.ts';
import type { ClusterMember } from '../cluster-bus.ts';
import type { CommandInput, SessionCommand } from '../commands/command.ts';
import { roomFromArgs } from '../commands/room-arg.ts';
import type { RelayContext } from '../context.ts';
import type { Room, Session } from '../session.ts';
import { findTarget, requireMember, requireRoomOperator, singleNick } from './targets.ts';

function handleOp(ctx: RelayContext, session: Session, input: CommandInput): void {
  const target = roomFromArgs(ctx, session, input.args, false);
  if (target === null) return;
  const { room } = target;
  const nick = singleNick(ctx, session, target.rest, opCommand.syntax);
  if (nick === null || !requireRoomOperator(ctx, session, room)) return;
  const remote = remoteMemberOf(ctx, room, nick);
  if (remote !== undefined) {
    opRemote(ctx, session, room, remote);
    return;
  }
  const member = findTarget(ctx, session, nick);
  if (member === null || !requireMember(ctx, session, room, member)) return;
  if (room.operators.has(member)) {
    ctx.refuse(session.address, session, 'usage', mod.alreadyOperator(member.nick, room.name));
    return;
  }
  ctx.rooms.keeper.addOperator(room, member);
  ctx.rooms.changed(room);
  ctx.toRoom(room, mod.madeOperator(session.nick, member.nick));
  announceOperator(ctx, session, room, member);
}

/** A member another relay serves: its relay makes it operator when it hears the change. */
function opRemote(ctx: RelayContext, session: Session, room: Room, member: ClusterMember): void {
  if (ctx.cluster?.isOperator(room.key, member.nickKey) === true) {
    ctx.refuse(session.address, session, 'usage', mod.alreadyOperator(member.nick, room.name));
    return;
  }
  ctx.cluster?.rooms.setOperator(room.key, member.nickKey, member.nick, true);
  ctx.toRoom(room, mod.madeOperator(session.nick, member.nick));
  announceOperator(ctx, session, room, member);
}

function announceOperator(
  ctx: RelayContext,
  session: Session,
  room: Room,
  member: { readonly nickKey: string; readonly nick: string },
): void {
  announceRoomChange(ctx, room, session.nick, {
    type: 'operator',
    nickKey: member.nickKey,
    nick: member.nick,
    on: true,
  });
}

export const opCommand: SessionCommand = {
  name: 'op',
  syntax: '/op #room <nick>',
  summary: 'make a member an operator of the room (operators only)',
  throttled: true,
  open: false,
  handle: handleOp,
};
