/** `/who [#room]`: the members of a room with their idle time and away state. */
import { MAX_WHO_LISTED } from '../../protocol/limits.ts';
import * as wire from '../../protocol/messages.ts';
import type { ClusterMember } from '../cluster-bus.ts';
import type { RelayContext } from '../context.ts';
import type { Session } from '../session.ts';
import type { CommandInput, SessionCommand } from './command.ts';
import { roomFromArgs } from './room-arg.ts';

function handleWho(ctx: RelayContext, session: Session, input: CommandInput): void {
  const target = roomFromArgs(ctx, session, input.args, false);
  if (target === null) return;
  const { room } = target;
  const remote = ctx.cluster?.remoteMembers(room.key) ?? [];
  const count = room.members.size + (ctx.cluster?.remoteCount(room.key) ?? 0);
  ctx.send(session, wire.inRoom(room.name, wire.whoHeader(room.name, count)));
  let shown = 0;
  for (const member of room.members) {
    if (shown++ === MAX_WHO_LISTED) return;
    const idle = Math.max(0, Math.floor((ctx.now - member.lastActive) / 1000));
    const nick = room.operators.has(member) ? `@${member.nick}` : member.nick;
    ctx.send(session, wire.inRoom(room.name, wire.whoEntry(nick, idle, member.away)));
  }
  // Members other relays of the cluster serve: their idle time and away state stay on their relay.
  for (const member of remote) {
    if (shown++ === MAX_WHO_LISTED) return;
    ctx.send(
      session,
      wire.inRoom(room.name, wire.whoRemoteEntry(remoteNick(ctx, room.key, member), member.node)),
    );
  }
}

/** An operator of the room on another relay shows as one here too. */
export function remoteNick(ctx: RelayContext, roomKey: string, member: ClusterMember): string {
  return ctx.cluster?.isOperator(roomKey, member.nickKey) ? `@${member.nick}` : member.nick;
}

export const whoCommand: SessionCommand = {
  name: 'who',
  syntax: '/who [#room]',
  summary: 'list the members of a room with idle time and away state',
  throttled: true,
  open: false,
  handle: handleWho,
};
