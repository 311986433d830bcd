/** `/leave [message]` (seed): the client quits; everyone who shared a room with it sees `*** <nick> left ***`, once. */

import { codePointLength } from '../../protocol/codec.ts';
import { MAX_TOPIC_CHARS } from '../../protocol/limits.ts';
import { sanitizeText } from '../../protocol/sanitize.ts';
import type { RelayContext } from '../context.ts';
import type { Session } from '../session.ts';
import type { CommandInput, SessionCommand } from './command.ts';

function handleLeave(ctx: RelayContext, session: Session, input: CommandInput): void {
  // A quit message is a courtesy: an unusable one is dropped rather than keeping the client from leaving.
  const message = sanitizeText(input.args.trim());
  ctx.depart(session, 'left', codePointLength(message) <= MAX_TOPIC_CHARS ? message : '');
}

export const leaveCommand: SessionCommand = {
  name: 'leave',
  syntax: '/leave [message]',
  summary: 'quit the chat',
  throttled: false,
  open: false,
  handle: handleLeave,
};
