/**
 * The checks every moderation command makes, in one place so each refusal has one wording: is the sender
 * an operator of the room, who is the named nick, is it in the room, and is the reason fit to show.
 */
import { firstWord } from '../../protocol/command-line.ts';
import { MAX_TOPIC_CHARS } from '../../protocol/limits.ts';
import { lookalikeKey } from '../../protocol/lookalike.ts';
import * as wire from '../../protocol/messages.ts';
import * as mod from '../../protocol/moderation-messages.ts';
import { checkNick } from '../../protocol/nick.ts';
import type { RelayContext } from '../context.ts';
import type { Room, Session } from '../session.ts';
import { checkText } from '../text-check.ts';

/** True when `session` operates `room`; otherwise it is told it does not. */
export function requireRoomOperator(ctx: RelayContext, session: Session, room: Room): boolean {
  if (room.operators.has(session)) return true;
  ctx.refuse(session.address, session, 'not-operator', mod.notOperator(room.name));
  return false;
}

/**
 * The one nick argument of `/op`, `/ban`, `/unban`, or null (the sender got the usage line) when it is
 * missing or followed by more words.
 */
export function singleNick(ctx: RelayContext, session: Session, rest: string, syntax: string): string | null {
  const [nick, extra] = firstWord(rest);
  if (nick !== '' && extra === '') return nick;
  ctx.refuse(session.address, session, 'usage', wire.usage(syntax));
  return null;
}

/** The connected client using `nick` (look-alikes included), or null when the sender was told there is none. */
export function findTarget(ctx: RelayContext, session: Session, nick: string): Session | null {
  const target = ctx.sessions.ownerOfNick(lookalikeKey(nick));
  if (target !== undefined) return target;
  ctx.refuse(session.address, session, 'no-such-nick', wire.noSuchNick(displayableNick(nick)));
  return null;
}

/** True when `target` is in `room`; otherwise the sender is told it is not. */
export function requireMember(ctx: RelayContext, session: Session, room: Room, target: Session): boolean {
  if (room.members.has(target)) return true;
  ctx.refuse(session.address, session, 'not-in-room', mod.notInThatRoom(target.nick, room.name));
  return false;
}

/** A kick or kill reason: '' when none was given, the checked text, or null when refused (sender told). */
export function checkReason(ctx: RelayContext, session: Session, raw: string): string | null {
  return raw === '' ? '' : checkText(ctx, session, raw, MAX_TOPIC_CHARS);
}

/**
 * A nick argument as it may be echoed back: only a valid nickname is, since an argument that matched
 * nobody is raw user input and may carry exactly the controls the nick rules keep off terminals.
 */
export function displayableNick(nick: string): string {
  const check = checkNick(nick);
  return check.ok ? check.nick : '(that nick)';
}
