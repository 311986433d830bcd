/**
 * `/kill <nick> [reason]`: a server operator (marked in the accounts file, known from login) disconnects
 * a client. The victim is told first, since it will hear nothing more; then it departs like a quit, and
 * everyone who shared a room with it is told once: `*** bob was killed (by root: spamming) ***`.
 */
import { firstWord } from '../../protocol/command-line.ts';
import * as wire from '../../protocol/messages.ts';
import * as mod from '../../protocol/moderation-messages.ts';
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
  const victim = findTarget(ctx, session, nick);
  const reason = victim === null ? null : checkReason(ctx, session, rawReason);
  if (victim === null || reason === null) return;
  kill(ctx, session, victim, reason);
}

function kill(ctx: RelayContext, killer: Session, victim: Session, reason: string): void {
  const toVictim = mod.youWereKilled(killer.nick, reason);
  const detail = mod.killDetail(killer.nick, reason);
  const toOthers = mod.wasKilled(victim.nick, detail);
  // Refused, never truncated, when a long reason of wide characters would not fit in one datagram.
  if (fitDatagram(ctx, killer, toVictim) === null || fitDatagram(ctx, killer, toOthers) === null) return;
  const killerHears = killer !== victim && sharesRoom(killer, victim);
  ctx.send(victim, toVictim);
  ctx.depart(victim, 'killed', detail);
  if (!killerHears && killer !== victim) ctx.send(killer, toOthers);
}

/** Whether Relay.depart's quit line will reach `a` about `b`. */
function sharesRoom(a: Session, b: Session): boolean {
  for (const room of a.rooms) if (room.members.has(b)) return true;
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
