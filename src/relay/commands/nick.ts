/**
 * `/nick <new>`: change nickname under the same uniqueness rules as /join. Everyone who shares a room with
 * the client is told once; a nickname with an account needs that account (log in with /join instead).
 */
import * as wire from '../../protocol/messages.ts';
import { checkNick } from '../../protocol/nick.ts';
import { claimNick } from '../cluster/outbound.ts';
import type { RelayContext } from '../context.ts';
import { renameSession } from '../rename.ts';
import type { Session } from '../session.ts';
import type { CommandInput, SessionCommand } from './command.ts';

function handleNick(ctx: RelayContext, session: Session, input: CommandInput): void {
  const requested = input.args.trim();
  if (requested === '') {
    ctx.refuse(session.address, session, 'usage', wire.usage(nickCommand.syntax));
    return;
  }
  const check = checkNick(requested);
  if (!check.ok) {
    ctx.refuse(session.address, session, 'nick-invalid', wire.nickInvalid(check.reason));
    return;
  }
  if (check.nick === session.nick) return;
  const owner = ctx.sessions.ownerOfNick(check.key);
  if (owner !== undefined && owner !== session) {
    ctx.refuse(session.address, session, 'nick-in-use', wire.nickInUse(check.nick));
    return;
  }
  const account = ctx.settings.accounts?.find(check.key);
  if (account !== undefined && session.account !== account.key) {
    ctx.refuse(session.address, session, 'auth-failed', wire.AUTH_FAILED);
    return;
  }
  if (!ctx.hostLimits.nickChanges.take(session.address.host, ctx.now)) {
    ctx.refuse(session.address, session, 'rate-limited', wire.TRY_LATER);
    return;
  }
  // In a cluster the new nick is claimed for the whole cluster first (a new key only: a change of case
  // keeps the claim); the answer renames (cluster/claims.ts).
  if (ctx.cluster !== null && check.key !== session.nickKey) {
    const who = {
      nick: check.nick,
      key: check.key,
      account: session.account,
      serverOperator: session.serverOperator,
    };
    claimNick(ctx, session.address, who, true);
    return;
  }
  renameSession(ctx, session, check.nick, check.key);
}

export const nickCommand: SessionCommand = {
  name: 'nick',
  syntax: '/nick <new nick>',
  summary: 'change your nickname',
  throttled: true,
  open: false,
  handle: handleNick,
};
