/** `/ping` (seed): a keep-alive; the relay answers `/pong`, which clients do not show. */
import type { Address } from '../../protocol/address.ts';
import { encodeLine } from '../../protocol/codec.ts';
import * as wire from '../../protocol/messages.ts';
import type { RelayContext } from '../context.ts';
import type { Session } from '../session-table.ts';
import { exactly, type LineCommand } from './command.ts';

const PONG_DATAGRAM = encodeLine(wire.PONG);

function handlePing(ctx: RelayContext, from: Address, session: Session | undefined): void {
  ctx.reply(from, PONG_DATAGRAM, session);
}

export const pingCommand: LineCommand = {
  syntax: wire.PING,
  requiresSession: true,
  match: exactly(wire.PING),
  handle: handlePing,
};
