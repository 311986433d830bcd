/**
 * `/join <nick>` (seed): registers the sender's address under a nickname, tells the others, welcomes it.
 * Differences from the seed, all refusals: an invalid or taken nickname is refused instead of being
 * truncated or duplicated, and a second `/join` from a joined address does not announce it again.
 */
import type { Address } from '../../protocol/address.ts';
import * as wire from '../../protocol/messages.ts';
import { checkNick } from '../../protocol/nick.ts';
import type { RelayContext } from '../context.ts';
import type { Session } from '../session-table.ts';
import { type LineCommand, prefixed } from './command.ts';

function handleJoin(ctx: RelayContext, from: Address, session: Session | undefined, args: string): void {
  // The seed: `nick = line[6:].strip()[:32] or 'anon'`; we refuse rather than truncate.
  const requested = args.trim() || wire.DEFAULT_NICK;
  const check = checkNick(requested);
  if (session !== undefined) {
    rejoin(ctx, session, check.ok ? check.key : null);
    return;
  }
  if (!check.ok) {
    ctx.refuse(from, undefined, 'nick-invalid', wire.nickInvalid(check.reason));
    return;
  }
  if (ctx.sessions.ownerOfNick(check.key) !== undefined) {
    ctx.refuse(from, undefined, 'nick-in-use', wire.nickInUse(check.nick));
    return;
  }
  const joined = ctx.sessions.add(from, check.nick, check.key, ctx.now);
  // The seed's order: announce to the others first, then welcome the joiner.
  ctx.broadcast(wire.joined(joined.nick), joined);
  ctx.reply(from, wire.welcome(joined.nick), joined);
  ctx.emit({ type: 'joined', address: from, nick: joined.nick });
}

/** A repeated `/join` (e.g. a client re-sending because the welcome was lost) is answered, not announced. */
function rejoin(ctx: RelayContext, session: Session, requestedKey: string | null): void {
  if (requestedKey === session.nickKey) {
    ctx.reply(session.address, wire.welcome(session.nick), session);
    return;
  }
  ctx.refuse(session.address, session, 'already-joined', wire.alreadyJoined(session.nick));
}

export const joinCommand: LineCommand = {
  syntax: '/join <nick>',
  requiresSession: false,
  match: prefixed(wire.JOIN_PREFIX),
  handle: handleJoin,
};
