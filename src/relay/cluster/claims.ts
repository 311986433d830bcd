/**
 * The bus's answer to a nick claim (outbound.ts's claimNick). Of two relays claiming one nick at once the
 * bus gives one winner; the loser's client gets the same refusal a taken nick gets on a single relay. A
 * nick won for an address that meanwhile registered, or that a local client took, is released again.
 */
import * as wire from '../../protocol/messages.ts';
import type { NickClaim } from '../cluster-bus.ts';
import type { RelayContext } from '../context.ts';
import { register } from '../membership.ts';
import { renameSession } from '../rename.ts';
import { refuseResume, restoreRooms } from '../resume/restore.ts';
import type { PendingClaim } from './view.ts';

export function claimAnswered(ctx: RelayContext, id: number, claim: NickClaim): void {
  const pending = ctx.cluster?.pendingClaims.get(id);
  if (pending === undefined) return;
  ctx.cluster?.pendingClaims.delete(id);
  const { from, who, resume } = pending;
  if (pending.rename === true) {
    renameAnswered(ctx, pending, claim);
    return;
  }
  if (!claim.ok) {
    if (resume === undefined) ctx.refuse(from, undefined, 'nick-in-use', wire.nickInUse(who.nick));
    else refuseResume(ctx, from, undefined, 'nick in use');
    return;
  }
  const holder = ctx.sessions.ownerOfNick(who.key);
  if (ctx.sessions.get(from) !== undefined || holder !== undefined) {
    if (holder === undefined) ctx.toCluster({ type: 'release', nickKey: who.key });
    if (ctx.sessions.get(from) === undefined)
      ctx.refuse(from, undefined, 'nick-in-use', wire.nickInUse(who.nick));
    return;
  }
  const session = register(ctx, from, who, true);
  if (session === undefined) ctx.toCluster({ type: 'release', nickKey: who.key });
  else if (resume !== undefined) restoreRooms(ctx, session, resume);
}

/** A `/nick` in a cluster: renamed once the cluster granted the new nick, refused as a taken nick if not. */
function renameAnswered(ctx: RelayContext, pending: PendingClaim, claim: NickClaim): void {
  const { from, who } = pending;
  const session = ctx.sessions.get(from);
  const holder = ctx.sessions.ownerOfNick(who.key);
  if (!claim.ok) {
    if (session !== undefined) ctx.refuse(from, session, 'nick-in-use', wire.nickInUse(who.nick));
    return;
  }
  // The client left, or a local client took the nick meanwhile: the cluster's grant is given back.
  if (session === undefined || (holder !== undefined && holder !== session)) {
    ctx.toCluster({ type: 'release', nickKey: who.key });
    if (session !== undefined) ctx.refuse(from, session, 'nick-in-use', wire.nickInUse(who.nick));
    return;
  }
  renameSession(ctx, session, who.nick, who.key);
}
