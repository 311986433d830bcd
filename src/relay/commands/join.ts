/**
 * `/join <nick> [secret]` (seed, plus the authenticated-join variant): registers the sender's address.
 * `/join #room` (the rooms variant): joins a room and makes it the current one.
 * Differences from the seed, all refusals: an invalid or taken nickname is refused instead of truncated or
 * duplicated, and a second `/join` from a joined address does not announce it again.
 */
import type { Address } from '../../protocol/address.ts';
import { firstWord } from '../../protocol/command-line.ts';
import { MAX_ROOMS_PER_CLIENT } from '../../protocol/limits.ts';
import * as wire from '../../protocol/messages.ts';
import { checkNick, checkRoomName } from '../../protocol/nick.ts';
import type { RelayContext } from '../context.ts';
import { joinWithNick } from '../login.ts';
import { enterRoom } from '../membership.ts';
import { admissionRefusal } from '../moderation/admission.ts';
import type { Session } from '../session.ts';
import type { CommandInput, OpenCommand } from './command.ts';

function handleJoin(
  ctx: RelayContext,
  from: Address,
  session: Session | undefined,
  input: CommandInput,
): void {
  if (input.bare) {
    ctx.refuse(from, session, 'usage', wire.usage(joinCommand.syntax));
    return;
  }
  const target = input.args.trim();
  if (target.startsWith('#')) {
    if (session === undefined) ctx.refuse(from, undefined, 'not-joined', wire.PLEASE_JOIN);
    else joinRoom(ctx, session, target);
    return;
  }
  // The seed: `nick = line[6:].strip()[:32] or 'anon'`; we refuse rather than truncate.
  const [nick, secret] = firstWord(target);
  const check = checkNick(nick || wire.DEFAULT_NICK);
  if (session !== undefined) rejoin(ctx, session, check.ok ? check.key : null);
  else if (!check.ok) ctx.refuse(from, undefined, 'nick-invalid', wire.nickInvalid(check.reason));
  else if (admitRegistration(ctx, from, check.nick, check.key))
    joinWithNick(ctx, from, { nick: check.nick, key: check.key, secret });
}

/** Per-host limits on registrations, then nickname uniqueness. */
function admitRegistration(ctx: RelayContext, from: Address, nick: string, key: string): boolean {
  const { maxPerAddress } = ctx.settings;
  if (maxPerAddress > 0 && ctx.sessions.countFromHost(from.host) >= maxPerAddress) {
    ctx.refuse(from, undefined, 'too-many-from-address', wire.TOO_MANY_FROM_ADDRESS);
    return false;
  }
  if (!ctx.hostLimits.joins.take(from.host, ctx.now)) {
    ctx.refuse(from, undefined, 'rate-limited', wire.TRY_LATER);
    return false;
  }
  if (ctx.sessions.ownerOfNick(key) !== undefined) {
    ctx.refuse(from, undefined, 'nick-in-use', wire.nickInUse(nick));
    return false;
  }
  return true;
}

/** A repeated `/join` (e.g. a client re-sending because the welcome was lost) is answered, not announced. */
function rejoin(ctx: RelayContext, session: Session, requestedKey: string | null): void {
  if (requestedKey === session.nickKey) ctx.send(session, wire.welcome(session.nick));
  else ctx.refuse(session.address, session, 'already-joined', wire.alreadyJoined(session.nick));
}

function joinRoom(ctx: RelayContext, session: Session, name: string): void {
  const check = checkRoomName(name);
  if (!check.ok) {
    ctx.refuse(session.address, session, 'room-invalid', wire.invalidRoom(check.reason));
    return;
  }
  const existing = ctx.rooms.get(check.key);
  if (existing?.members.has(session)) {
    session.current = existing;
    ctx.send(session, wire.inRoom(existing.name, wire.nowTalkingIn(existing.name)));
    return;
  }
  if (session.rooms.size >= MAX_ROOMS_PER_CLIENT) {
    ctx.refuse(session.address, session, 'usage', wire.tooManyRooms(MAX_ROOMS_PER_CLIENT));
    return;
  }
  // An empty room may still be invite-only or ban someone: its kept state comes back when it is made.
  const room = existing ?? ctx.rooms.getOrCreate(check.nick, check.key);
  const refusal = admissionRefusal(room, session);
  if (refusal !== null) {
    ctx.rooms.discardIfEmpty(room);
    ctx.refuse(session.address, session, refusal.reason, refusal.line);
    return;
  }
  enterRoom(ctx, session, room);
}

export const joinCommand: OpenCommand = {
  name: 'join',
  syntax: '/join <nick> [secret] | /join #room',
  summary: 'register a nickname (with its secret if it has an account), or join a room and talk in it',
  throttled: true,
  open: true,
  handle: handleJoin,
};
