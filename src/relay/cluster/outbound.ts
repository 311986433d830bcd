/**
 * What the core tells the cluster when its own clients act: a nick claimed before registering, joins and
 * leaves, a departure (every room left with its reason, then the nick released), room lines and private
 * lines to a nick another relay serves. Each is a ClusterAction written to the call's sink; nothing here
 * waits. Every function is a no-op without a cluster, so a single relay behaves as it always did.
 */
import type { Address } from '../../protocol/address.ts';
import * as wire from '../../protocol/messages.ts';
import type { PresenceReason } from '../cluster-bus.ts';
import type { RelayContext } from '../context.ts';
import type { DepartureReason } from '../output.ts';
import type { Registration } from '../registration.ts';
import type { Room, Session } from '../session.ts';
import type { LineKind, RoomLineInput } from '../store.ts';
import { LOBBY_KEY } from './view.ts';

/**
 * Starts a cluster-wide claim of `who.key` for `from`; registration waits for the answer
 * (claims.ts). Refused at once when a claim of the same nick, or from the same address, is in flight.
 */
export function claimNick(ctx: RelayContext, from: Address, who: Registration, rename = false): void {
  const cluster = ctx.cluster;
  if (cluster === null) return;
  if (cluster.isClaiming(from, who.key)) {
    ctx.refuse(from, ctx.sessions.get(from), 'nick-in-use', wire.nickInUse(who.nick));
    return;
  }
  const id = cluster.nextClaimId();
  cluster.pendingClaims.set(id, { from, who, rename });
  ctx.toCluster({ type: 'claim', id, nickKey: who.key, nick: who.nick });
}

export function announceJoin(ctx: RelayContext, room: Room, session: Session, firstHere: boolean): void {
  if (ctx.cluster === null) return;
  ctx.toCluster({
    type: 'join',
    roomKey: room.key,
    nickKey: session.nickKey,
    nick: session.nick,
    reason: 'join',
    // Only the bus's atomic step knows whether the room has a member anywhere: it decides, so of two
    // first members entering on two relays at once one is the operator (moderation.ts applies it).
    firstOperator: !room.operators.has(session),
  });
  // An operator on entering (one the cluster remembers as such): every relay shows it so.
  if (room.operators.has(session)) {
    ctx.toCluster({
      type: 'room',
      roomKey: room.key,
      by: session.nick,
      change: { type: 'operator', nickKey: session.nickKey, nick: session.nick, on: true },
    });
  }
  // The room is new here: who the other relays serve in it is asked for once, then kept by events.
  if (firstHere) ctx.toCluster({ type: 'members', roomKey: room.key });
}

export function announceLeave(ctx: RelayContext, room: Room, session: Session, reason: PresenceReason): void {
  if (ctx.cluster === null) return;
  ctx.toCluster({ type: 'leave', roomKey: room.key, nickKey: session.nickKey, reason });
}

const PRESENCE_REASON: Record<DepartureReason, PresenceReason> = {
  left: 'quit',
  'timed out': 'timeout',
  // A kill is a departure from the relay; 'kick' is a room's (ejection.ts).
  killed: 'quit',
};

/** A session leaves the relay: every room with its reason (so peers say "timed out"), then the nick. */
export function announceDeparture(ctx: RelayContext, session: Session, reason: DepartureReason): void {
  if (ctx.cluster === null) return;
  for (const room of session.rooms) announceLeave(ctx, room, session, PRESENCE_REASON[reason]);
  ctx.toCluster({ type: 'release', nickKey: session.nickKey });
}

/**
 * A renamed session, told to the cluster: a `rename` event first (other relays say `is now known as`, once),
 * then in each of its rooms the old nick leaves and the new one joins (the members hashes, for `/who` and a
 * relay that asks later; silent where the rename was heard), then the old nick is released. A change of case
 * only keeps the key: each room's join just updates the nick kept for it.
 */
export function announceRename(ctx: RelayContext, session: Session, oldKey: string, oldNick: string): void {
  if (ctx.cluster === null) return;
  const change = {
    type: 'rename',
    nickKey: oldKey,
    nick: oldNick,
    newKey: session.nickKey,
    newNick: session.nick,
  } as const;
  ctx.toCluster({ type: 'room', roomKey: LOBBY_KEY, by: oldNick, change });
  if (oldKey === session.nickKey) {
    for (const room of session.rooms) announceJoin(ctx, room, session, false);
    return;
  }
  for (const room of session.rooms) {
    ctx.toCluster({ type: 'leave', roomKey: room.key, nickKey: oldKey, reason: 'part' });
    announceJoin(ctx, room, session, false);
  }
  ctx.toCluster({ type: 'release', nickKey: oldKey });
}

/**
 * A room line goes to the cluster, which numbers it; while the bus is connected every relay (this one
 * included) delivers it when it comes back, in the cluster's one order and with its id. While the bus is
 * away it is delivered here at once (returns true) and remembered, so its later echo is not shown again.
 */
export function publishLine(
  ctx: RelayContext,
  session: Session,
  room: Room,
  kind: LineKind,
  text: string,
  at: number,
): boolean {
  const cluster = ctx.cluster;
  if (cluster === null) return true;
  const line: RoomLineInput = { roomKey: room.key, roomName: room.name, at, kind, nick: session.nick, text };
  ctx.toCluster({ type: 'line', line });
  if (cluster.connected) return false;
  cluster.deliveredLocally(line);
  return true;
}

/** A private line to a nick another relay serves; false when no relay of the cluster serves it. */
export function sendDirect(
  ctx: RelayContext,
  session: Session,
  toKey: string,
  kind: LineKind,
  text: string,
): boolean {
  const target = ctx.cluster?.remoteNick(toKey);
  if (target === undefined) return false;
  ctx.toCluster({
    type: 'direct',
    line: {
      fromKey: session.nickKey,
      fromNick: session.nick,
      toKey,
      toNick: target.nick,
      at: ctx.wallTime(),
      kind,
      text,
    },
  });
  return true;
}
