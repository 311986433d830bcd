/** `/part [#room] [reason]` (the rooms variant): leave a room; its members are told. */

import { MAX_TOPIC_CHARS } from '../../protocol/limits.ts';
import * as wire from '../../protocol/messages.ts';
import type { RelayContext } from '../context.ts';
import { exitRoom } from '../membership.ts';
import type { Session } from '../session.ts';
import { checkText } from '../text-check.ts';
import type { CommandInput, SessionCommand } from './command.ts';
import { roomFromArgs } from './room-arg.ts';

function handlePart(ctx: RelayContext, session: Session, input: CommandInput): void {
  const target = roomFromArgs(ctx, session, input.args, true);
  if (target === null) return;
  if (session.rooms.size === 1) {
    ctx.refuse(session.address, session, 'usage', wire.ONLY_ROOM);
    return;
  }
  const reason = target.rest === '' ? '' : checkText(ctx, session, target.rest, MAX_TOPIC_CHARS);
  if (reason === null) return;
  exitRoom(ctx, session, target.room, wire.roomParted(session.nick, reason));
  const current = session.current?.name ?? wire.LOBBY;
  ctx.send(session, wire.youPartedRoom(target.room.name, current));
}

export const partCommand: SessionCommand = {
  name: 'part',
  syntax: '/part [#room] [reason]',
  summary: 'leave a room (the current one if none is named)',
  throttled: true,
  open: false,
  handle: handlePart,
};
