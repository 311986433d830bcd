/**
 * A proven resumption brought back (docs/PROTOCOL-v2.md, section 16): the ticket's nick is registered
 * for the new session (in a cluster with a takeover claim, since the dead relay's claim may not have
 * lapsed yet), then its rooms are joined again as a `/join #room` would, each room's admission rules
 * holding, and the client is told `*** resumed <nick> from <node> in <rooms> ***`.
 */
import type { Address } from '../../protocol/address.ts';
import { MAX_ROOMS_PER_CLIENT } from '../../protocol/limits.ts';
import { lookalikeKey } from '../../protocol/lookalike.ts';
import { LOBBY } from '../../protocol/messages.ts';
import { checkNick, checkRoomName } from '../../protocol/nick.ts';
import { type ResumeRefusal, resumed, resumeRefused, toBase64Url } from '../../protocol/resume-messages.ts';
import type { TicketContent } from '../../protocol/v2/resume-ticket.ts';
import type { RelayContext } from '../context.ts';
import { enterRoom, register } from '../membership.ts';
import { admissionRefusal } from '../moderation/admission.ts';
import type { SessionPeer } from '../peer.ts';
import type { Registration } from '../registration.ts';
import type { Session } from '../session.ts';

const LOBBY_KEY = lookalikeKey(LOBBY);

/** The name a ticket gives its relay: the cluster node id, or a fixed word for a relay on its own. */
export function ticketNode(ctx: RelayContext): string {
  return ctx.cluster?.nodeId ?? 'standalone';
}

export function refuseResume(
  ctx: RelayContext,
  to: Address,
  session: Session | undefined,
  reason: ResumeRefusal,
): void {
  ctx.refuse(to, session, 'resume-refused', resumeRefused(reason));
}

/** Registers the ticket's nick for `from` (a checked, unspent, proven ticket) and restores its rooms. */
export function resumeSession(ctx: RelayContext, from: SessionPeer, content: TicketContent): void {
  const who = registration(ctx, content);
  if (typeof who === 'string') {
    refuseResume(ctx, from, undefined, who);
    return;
  }
  const clientKey = toBase64Url(content.clientKey);
  const holder = ctx.sessions.ownerOfNick(who.key);
  if (holder !== undefined) {
    // Only the same client's earlier session on this relay (it asked for the ticket) gives way.
    if (holder.resumptionClient !== clientKey) {
      refuseResume(ctx, from, undefined, 'nick in use');
      return;
    }
    ctx.depart(holder, 'left');
  }
  if (ctx.cluster === null) {
    const session = register(ctx, from, who, true);
    if (session !== undefined) restoreRooms(ctx, session, content);
    return;
  }
  claimForResume(ctx, from, who, content);
}

/** Who the ticket registers; the nick's account must still agree with what the ticket says of it. */
function registration(ctx: RelayContext, content: TicketContent): Registration | ResumeRefusal {
  const check = checkNick(content.nick);
  if (!check.ok) return 'bad ticket';
  const record = ctx.settings.accounts?.find(check.key);
  // The nick was registered since the ticket was issued: its secret was never checked for this client.
  if (record !== undefined && !content.account) return 'nick in use';
  if (record === undefined && ctx.settings.registeredOnly) return 'not offered here';
  return {
    nick: check.nick,
    key: check.key,
    account: record === undefined ? null : check.key,
    serverOperator: record === undefined ? false : content.serverOperator && record.serverOperator,
  };
}

/**
 * In a cluster the nick is claimed with a takeover, which wins against the dead relay's claim that has
 * not lapsed yet. It must not win against someone else: a nick another relay than the ticket's now
 * serves was taken after the old claim lapsed, so it is refused instead.
 */
function claimForResume(
  ctx: RelayContext,
  from: SessionPeer,
  who: Registration,
  content: TicketContent,
): void {
  const cluster = ctx.cluster;
  if (cluster === null) return;
  const remote = cluster.remoteNick(who.key);
  if ((remote !== undefined && remote.node !== content.node) || cluster.isClaiming(from, who.key)) {
    refuseResume(ctx, from, undefined, 'nick in use');
    return;
  }
  const id = cluster.nextClaimId();
  cluster.pendingClaims.set(id, { from, who, resume: content });
  ctx.toCluster({ type: 'claim', id, nickKey: who.key, nick: who.nick, takeover: true });
}

/** After the registration: the ticket's rooms joined again, its current room made current, the answer. */
export function restoreRooms(ctx: RelayContext, session: Session, content: TicketContent): void {
  session.resumptionClient = toBase64Url(content.clientKey);
  const restored: string[] = [];
  for (const name of content.rooms) {
    const check = checkRoomName(name);
    if (!check.ok || check.key === LOBBY_KEY || session.rooms.size >= MAX_ROOMS_PER_CLIENT) continue;
    const room = ctx.rooms.getOrCreate(check.nick, check.key);
    if (room.members.has(session)) continue;
    if (admissionRefusal(room, session) !== null) {
      ctx.rooms.discardIfEmpty(room);
      continue;
    }
    enterRoom(ctx, session, room);
    restored.push(room.name);
  }
  const current = content.current === null ? null : checkRoomName(content.current);
  if (current?.ok === true) {
    const room = ctx.rooms.get(current.key);
    if (room?.members.has(session)) session.current = room;
  }
  ctx.send(session, resumed(session.nick, content.node, restored));
}
