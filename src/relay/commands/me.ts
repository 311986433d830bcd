/** `/me action`: an action in the current room, shown as `* nick action` (IRC's CTCP ACTION). */
import * as wire from '../../protocol/messages.ts';
import type { RelayContext } from '../context.ts';
import type { Session } from '../session.ts';
import { checkText } from '../text-check.ts';
import type { CommandInput, SessionCommand } from './command.ts';
import { sayInRoom } from './say.ts';

function handleMe(ctx: RelayContext, session: Session, input: CommandInput): void {
  if (input.args.trim() === '') {
    ctx.refuse(session.address, session, 'usage', wire.usage(meCommand.syntax));
    return;
  }
  const text = checkText(ctx, session, input.args);
  if (text !== null) sayInRoom(ctx, session, 'action', text);
}

export const meCommand: SessionCommand = {
  name: 'me',
  syntax: '/me <action>',
  summary: 'describe an action in the current room (in a private message: /msg <nick> /me <action>)',
  throttled: true,
  open: false,
  handle: handleMe,
};
