/** `/away [message]`: mark yourself away (shown by /who and to anyone who messages you); `/away` alone: back. */
import { MAX_TOPIC_CHARS } from '../../protocol/limits.ts';
import * as wire from '../../protocol/messages.ts';
import type { RelayContext } from '../context.ts';
import type { Session } from '../session.ts';
import { checkText } from '../text-check.ts';
import type { CommandInput, SessionCommand } from './command.ts';

function handleAway(ctx: RelayContext, session: Session, input: CommandInput): void {
  const raw = input.args.trim();
  if (raw === '') {
    session.away = null;
    ctx.send(session, wire.AWAY_CLEARED);
    return;
  }
  const message = checkText(ctx, session, raw, MAX_TOPIC_CHARS);
  if (message === null) return;
  session.away = message;
  ctx.send(session, wire.AWAY_SET);
}

export const awayCommand: SessionCommand = {
  name: 'away',
  syntax: '/away [message]',
  summary: 'mark yourself away with a message; /away alone marks you back',
  throttled: true,
  open: false,
  handle: handleAway,
};
