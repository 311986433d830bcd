/** `/leave` (seed): the client says goodbye; everyone else sees `*** <nick> left ***`, once. */
import type { Address } from '../../protocol/address.ts';
import * as wire from '../../protocol/messages.ts';
import type { RelayContext } from '../context.ts';
import type { Session } from '../session-table.ts';
import { exactly, type LineCommand } from './command.ts';

function handleLeave(ctx: RelayContext, _from: Address, session: Session | undefined): void {
  if (session !== undefined) ctx.depart(session, 'left');
}

export const leaveCommand: LineCommand = {
  syntax: wire.LEAVE,
  requiresSession: true,
  match: exactly(wire.LEAVE),
  handle: handleLeave,
};
