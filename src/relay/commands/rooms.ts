/** `/rooms`: every room with its member count and topic. */
import { MAX_ROOMS_LISTED } from '../../protocol/limits.ts';
import * as wire from '../../protocol/messages.ts';
import type { RelayContext } from '../context.ts';
import type { Session } from '../session.ts';
import type { SessionCommand } from './command.ts';

function handleRooms(ctx: RelayContext, session: Session): void {
  let shown = 0;
  for (const room of ctx.rooms.values()) {
    if (shown === MAX_ROOMS_LISTED) break;
    ctx.send(session, wire.roomListEntry(room.name, room.members.size, room.topic));
    shown++;
  }
  ctx.send(session, wire.roomListEnd(shown, ctx.rooms.size));
}

export const roomsCommand: SessionCommand = {
  name: 'rooms',
  syntax: '/rooms',
  summary: 'list the rooms with their member counts and topics',
  throttled: true,
  open: false,
  handle: handleRooms,
};
