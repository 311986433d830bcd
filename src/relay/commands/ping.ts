/** `/ping` (seed): a keep-alive; the relay answers `/pong`, which clients do not show. */
import { encodeLine } from '../../protocol/codec.ts';
import * as wire from '../../protocol/messages.ts';
import type { RelayContext } from '../context.ts';
import type { Session } from '../session.ts';
import type { SessionCommand } from './command.ts';

const PONG_DATAGRAM = encodeLine(wire.PONG);

function handlePing(ctx: RelayContext, session: Session): void {
  ctx.send(session, PONG_DATAGRAM);
}

export const pingCommand: SessionCommand = {
  name: 'ping',
  syntax: '/ping',
  summary: 'keep-alive; the relay answers /pong (clients send it every 10 s)',
  throttled: false,
  open: false,
  handle: handlePing,
};
