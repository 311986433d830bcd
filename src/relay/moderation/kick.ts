/**
 * `/kick #room <nick> [reason]`: an operator removes a member from the room. The room, the kicked member
 * included, is told `*** bob was kicked by alice (reason) ***`; the kicked client may join again (a ban
 * is what keeps it out). The `#room` may be left out for the current room.
 */
import { firstWord } from '../../protocol/command-line.ts';
import * as wire from '../../protocol/messages.ts';
import * as mod from '../../protocol/moderation-messages.ts';
import { announceRoomChange, remoteMemberOf } from '../cluster/moderation.ts';
import type { CommandInput, SessionCommand } from '../commands/command.ts';
import { roomFromArgs } from '../commands/room-arg.ts';
import type { RelayContext } from '../context.ts';
import type { Room, Session } from '../session.ts';
import { fitDatagram } from '../text-check.ts';
import { ejectFromRoom } from './ejection.ts';
import { checkReason, findTarget, requireMember, requireRoomOperator } from './targets.ts';

function handleKick(ctx: RelayContext, session: Session, input: CommandInput): void {
  const target = roomFromArgs(ctx, session, input.args, false);
  if (target === null) return;
  const { room } = target;
  const [nick, rawReason] = firstWord(target.rest);
  if (nick === '') {
    ctx.refuse(session.address, session, 'usage', wire.usage(kickCommand.syntax));
    return;
  }
  if (!requireRoomOperator(ctx, session, room)) return;
  const victim = kickTarget(ctx, session, room, nick);
  if (victim === null) return;
  const reason = checkReason(ctx, session, rawReason);
  if (reason === null) return;
  const notice = mod.kicked(victim.nick, session.nick, reason);
  // A 300-character reason of 4-byte characters cannot travel in one datagram: refused, never truncated.
  if (fitDatagram(ctx, session, wire.inRoom(room.name, notice)) === null) return;
  // A member another relay serves is kicked by every relay when the kick comes back (cluster/moderation.ts).
  if (victim.local !== null) ejectFromRoom(ctx, room, victim.local, notice);
  announceRoomChange(ctx, room, session.nick, {
    type: 'kick',
    nickKey: victim.nickKey,
    nick: victim.nick,
    reason,
  });
}

/** Who is kicked: this relay's client (`local`), or a member another relay serves; null when refused. */
function kickTarget(
  ctx: RelayContext,
  session: Session,
  room: Room,
  nick: string,
): { readonly nickKey: string; readonly nick: string; readonly local: Session | null } | null {
  const remote = remoteMemberOf(ctx, room, nick);
  if (remote !== undefined) return { nickKey: remote.nickKey, nick: remote.nick, local: null };
  const victim = findTarget(ctx, session, nick);
  if (victim === null || !requireMember(ctx, session, room, victim)) return null;
  return { nickKey: victim.nickKey, nick: victim.nick, local: victim };
}

export const kickCommand: SessionCommand = {
  name: 'kick',
  syntax: '/kick #room <nick> [reason]',
  summary: 'remove a member from the room (operators only)',
  throttled: true,
  open: false,
  handle: handleKick,
};
