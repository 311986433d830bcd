/** `/help`: one line per command the relay supports, from the list the relay dispatches with. */
import * as wire from '../../protocol/messages.ts';
import type { RelayContext } from '../context.ts';
import type { Session } from '../session.ts';
import type { SessionCommand } from './command.ts';

function handleHelp(ctx: RelayContext, session: Session): void {
  for (const command of ctx.commands) ctx.send(session, wire.helpLine(command.syntax, command.summary));
  ctx.send(session, wire.helpLine('text', 'say it in your current room (//text says /text)'));
}

export const helpCommand: SessionCommand = {
  name: 'help',
  syntax: '/help',
  summary: 'this list',
  throttled: true,
  open: false,
  handle: handleHelp,
};
