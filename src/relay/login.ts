/**
 * Authenticated join (the seed's variant, grown up): `/join <nick> <secret>` for a nickname that has an
 * account. The secret is checked by the binding (scrypt is too slow for the receive loop); the core keeps
 * the pending login and finishes it when the answer comes. Every failure gets the same generic refusal,
 * and failures are rate-limited per source host.
 */
import type { Address } from '../protocol/address.ts';
import { codePointLength } from '../protocol/codec.ts';
import { MAX_PENDING_LOGINS, MAX_SECRET_CHARS } from '../protocol/limits.ts';
import * as wire from '../protocol/messages.ts';
import type { RelayContext } from './context.ts';
import { register } from './membership.ts';

/** /nick refuses an account's nickname with the same line (imported from here). */

export interface LoginRequest {
  readonly nick: string;
  readonly key: string;
  readonly secret: string;
}

/**
 * Registers `from` directly when its nickname needs no secret; otherwise starts a login. Returns false
 * when it refused (the sender has been told).
 */
export function joinWithNick(ctx: RelayContext, from: Address, request: LoginRequest): void {
  const record = ctx.settings.accounts?.find(request.key);
  if (record === undefined) {
    if (ctx.settings.registeredOnly) fail(ctx, from);
    else register(ctx, from, { nick: request.nick, key: request.key, account: null, serverOperator: false });
    return;
  }
  if (!ctx.hostLimits.authFailures.peek(from.host, ctx.now)) {
    ctx.refuse(from, undefined, 'rate-limited', wire.TRY_LATER);
    return;
  }
  if (request.secret === '' || codePointLength(request.secret) > MAX_SECRET_CHARS) {
    fail(ctx, from);
    return;
  }
  if (ctx.pendingLogins.size >= MAX_PENDING_LOGINS || hasPendingLogin(ctx, from)) {
    ctx.refuse(from, undefined, 'rate-limited', wire.TRY_LATER);
    return;
  }
  const id = ctx.schedule({ type: 'check-secret', record, secret: request.secret });
  ctx.pendingLogins.set(id, {
    from,
    nick: request.nick,
    key: request.key,
    serverOperator: record.serverOperator,
  });
}

/** The binding's verdict on a secret. The nickname may have been taken meanwhile: checked again. */
export function finishLogin(ctx: RelayContext, id: number, ok: boolean): void {
  const pending = ctx.pendingLogins.get(id);
  if (pending === undefined) return;
  ctx.pendingLogins.delete(id);
  if (!ok) {
    fail(ctx, pending.from);
    return;
  }
  if (ctx.sessions.get(pending.from) !== undefined) return;
  if (ctx.sessions.ownerOfNick(pending.key) !== undefined) {
    ctx.refuse(pending.from, undefined, 'nick-in-use', wire.nickInUse(pending.nick));
    return;
  }
  register(ctx, pending.from, {
    nick: pending.nick,
    key: pending.key,
    account: pending.key,
    serverOperator: pending.serverOperator,
  });
}

function fail(ctx: RelayContext, from: Address): void {
  ctx.hostLimits.authFailures.take(from.host, ctx.now);
  ctx.refuse(from, undefined, 'auth-failed', wire.AUTH_FAILED);
}

function hasPendingLogin(ctx: RelayContext, from: Address): boolean {
  for (const pending of ctx.pendingLogins.values()) {
    if (pending.from.host === from.host && pending.from.port === from.port) return true;
  }
  return false;
}
