/**
 * `/kill <nick> [reason]`: a server operator (marked in the accounts file, known from login) disconnects
 * a client. The victim is told first, since it will hear nothing more; then it departs like a quit, and
 * everyone who shared a room with it is told once: `*** bob was killed (by root: spamming) ***`.
 * In a cluster the kill is told to every relay (cluster/moderation.ts): a client another relay serves is
 * killed there, and other relays' members hear it in the same words rather than as a quit.
 */
import { firstWord } from '../../protocol/command-line.ts';
import { lookalikeKey } from '../../protocol/lookalike.ts';
import * as wire from '../../protocol/messages.ts';
import * as mod from '../../protocol/moderation-messages.ts';
import { LOBBY_KEY } from '../cluster/view.ts';
import type { ClusterMember } from '../cluster-bus.ts';
import type { CommandInput, SessionCommand } from '../commands/command.ts';
import type { RelayContext } from '../context.ts';
import type { Session } from '../session.ts';
import { fitDatagram } from '../text-check.ts';
import { checkReason, findTarget } from './targets.ts';

function handleKill(ctx: RelayContext, session: Session, input: CommandInput): void {
  // Checked before anything else, so a client that may not kill learns nothing about who is connected.
  if (!session.serverOperator) {
    ctx.refuse(session.address, session, 'not-operator', mod.NOT_SERVER_OPERATOR);
    return;
  }
  const [nick, rawReason] = firstWord(input.args);
  if (nick === '') {
    ctx.refuse(session.address, session, 'usage', wire.usage(killCommand.syntax));
    return;
  }
  const remote = ctx.sessions.ownerOfNick(lookalikeKey(nick)) === undefined ? remoteClient(ctx, nick) : null;
  if (remote !== null) {
    const reason = checkReason(ctx, session, rawReason);
    if (reason !== null) killRemote(ctx, session, remote, reason);
    return;
  }
  const victim = findTarget(ctx, session, nick);
  const reason = victim === null ? null : checkReason(ctx, session, rawReason);
  if (victim === null || reason === null) return;
  kill(ctx, session, victim, reason);
}

/** The client another relay of the cluster serves under `nick`, or null. */
function remoteClient(ctx: RelayContext, nick: string): ClusterMember | null {
  return ctx.cluster?.remoteNick(lookalikeKey(nick)) ?? null;
}

function kill(ctx: RelayContext, killer: Session, victim: Session, reason: string): void {
  const toVictim = mod.youWereKilled(killer.nick, reason);
  const detail = mod.killDetail(killer.nick, reason);
  const toOthers = mod.wasKilled(victim.nick, detail);
  // Refused, never truncated, when a long reason of wide characters would not fit in one datagram.
  if (fitDatagram(ctx, killer, toVictim) === null || fitDatagram(ctx, killer, toOthers) === null) return;
  const killerHears = killer !== victim && sharesRoom(killer, victim);
  // Before the victim's leaves, so other relays say it was killed, not that it quit.
  announceKill(ctx, killer, victim.nickKey, victim.nick, reason);
  ctx.send(victim, toVictim);
  ctx.depart(victim, 'killed', detail);
  if (!killerHears && killer !== victim) ctx.send(killer, toOthers);
}

/**
 * A client another relay serves: its relay disconnects it when the kill comes over the bus, and every
 * relay (this one too) tells its members who shared a room with it then. The killer, if in none, is told now.
 */
function killRemote(ctx: RelayContext, killer: Session, victim: ClusterMember, reason: string): void {
  const toOthers = mod.wasKilled(victim.nick, mod.killDetail(killer.nick, reason));
  if (fitDatagram(ctx, killer, mod.youWereKilled(killer.nick, reason)) === null) return;
  if (fitDatagram(ctx, killer, toOthers) === null) return;
  announceKill(ctx, killer, victim.nickKey, victim.nick, reason);
  if (!sharesRoomRemotely(ctx, killer, victim.nickKey)) ctx.send(killer, toOthers);
}

function announceKill(
  ctx: RelayContext,
  killer: Session,
  nickKey: string,
  nick: string,
  reason: string,
): void {
  if (ctx.cluster === null) return;
  const change = { type: 'kill', nickKey, nick, reason } as const;
  ctx.toCluster({ type: 'room', roomKey: LOBBY_KEY, by: killer.nick, change });
}

/** Whether Relay.depart's quit line will reach `a` about `b`. */
function sharesRoom(a: Session, b: Session): boolean {
  for (const room of a.rooms) if (room.members.has(b)) return true;
  return false;
}

/** Whether the kill's quit line, told by this relay when the kill comes back, will reach `session`. */
function sharesRoomRemotely(ctx: RelayContext, session: Session, nickKey: string): boolean {
  for (const room of session.rooms)
    for (const member of ctx.cluster?.remoteMembers(room.key) ?? [])
      if (member.nickKey === nickKey) return true;
  return false;
}

export const killCommand: SessionCommand = {
  name: 'kill',
  syntax: '/kill <nick> [reason]',
  summary: 'disconnect a client (server operators only)',
  throttled: true,
  open: false,
  handle: handleKill,
};
