/** `/rooms`: every room with its member count and topic. */
import { MAX_ROOMS_LISTED } from '../../protocol/limits.ts';
import * as wire from '../../protocol/messages.ts';
import type { RelayContext } from '../context.ts';
import type { Session } from '../session.ts';
import type { SessionCommand } from './command.ts';

function handleRooms(ctx: RelayContext, session: Session): void {
  let shown = 0;
  let total = ctx.rooms.size;
  for (const room of ctx.rooms.values()) {
    if (shown === MAX_ROOMS_LISTED) break;
    const count = room.members.size + (ctx.cluster?.remoteCount(room.key) ?? 0);
    ctx.send(session, wire.roomListEntry(room.name, count, room.topic));
    shown++;
  }
  // In a cluster, rooms only other relays' members are in (named as the cluster last said them).
  for (const remote of ctx.cluster?.remoteOnlyRooms((key) => ctx.rooms.get(key) !== undefined) ?? []) {
    total++;
    if (shown === MAX_ROOMS_LISTED) continue;
    ctx.send(session, wire.roomListEntry(remote.name, remote.count, remote.topic));
    shown++;
  }
  ctx.send(session, wire.roomListEnd(shown, total));
}

export const roomsCommand: SessionCommand = {
  name: 'rooms',
  syntax: '/rooms',
  summary: 'list the rooms with their member counts and topics',
  throttled: true,
  open: false,
  handle: handleRooms,
};
