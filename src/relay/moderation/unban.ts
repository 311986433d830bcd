/**
 * `/unban #room <nick>`: an operator lifts the bans that were made for a nick (by its nick key, so the
 * nick need not be connected, and look-alikes of it count). The room is told `*** alice unbanned bob ***`.
 */
import { lookalikeKey } from '../../protocol/lookalike.ts';
import * as mod from '../../protocol/moderation-messages.ts';
import { announceRoomChange, banMask } from '../cluster/moderation.ts';
import type { CommandInput, SessionCommand } from '../commands/command.ts';
import { roomFromArgs } from '../commands/room-arg.ts';
import type { RelayContext } from '../context.ts';
import type { Session } from '../session.ts';
import { liftBans } from './bans.ts';
import { displayableNick, requireRoomOperator, singleNick } from './targets.ts';

function handleUnban(ctx: RelayContext, session: Session, input: CommandInput): void {
  const target = roomFromArgs(ctx, session, input.args, false);
  if (target === null) return;
  const { room } = target;
  const nick = singleNick(ctx, session, target.rest, unbanCommand.syntax);
  if (nick === null || !requireRoomOperator(ctx, session, room)) return;
  const [lifted] = liftBans(room, lookalikeKey(nick));
  if (lifted === undefined) {
    ctx.refuse(session.address, session, 'usage', mod.notBanned(displayableNick(nick), room.name));
    return;
  }
  ctx.rooms.changed(room);
  // The nick as it was when banned: checked then, unlike the argument.
  ctx.toRoom(room, mod.unbannedBy(session.nick, lifted.nick));
  announceRoomChange(ctx, room, session.nick, { type: 'ban', mask: banMask(lifted), on: false });
}

export const unbanCommand: SessionCommand = {
  name: 'unban',
  syntax: '/unban #room <nick>',
  summary: 'lift a ban (operators only)',
  throttled: true,
  open: false,
  handle: handleUnban,
};
