/** `/switch #room`: make a room you are in the one your plain lines go to; the relay confirms. */
import * as wire from '../../protocol/messages.ts';
import type { RelayContext } from '../context.ts';
import type { Session } from '../session.ts';
import type { CommandInput, SessionCommand } from './command.ts';
import { roomFromArgs } from './room-arg.ts';

function handleSwitch(ctx: RelayContext, session: Session, input: CommandInput): void {
  if (!input.args.trim().startsWith('#')) {
    ctx.refuse(session.address, session, 'usage', wire.usage(switchCommand.syntax));
    return;
  }
  const target = roomFromArgs(ctx, session, input.args, true);
  if (target === null) return;
  session.current = target.room;
  ctx.send(session, wire.inRoom(target.room.name, wire.nowTalkingIn(target.room.name)));
}

export const switchCommand: SessionCommand = {
  name: 'switch',
  syntax: '/switch #room',
  summary: 'talk in another room you are in',
  throttled: true,
  open: false,
  handle: handleSwitch,
};
