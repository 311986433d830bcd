/**
 * The exact text of every moderation line (`/op`, `/kick`, `/ban`, `/unban`, `/mode`, `/invite`, `/kill`).
 * They keep the `*** ... ***` notice shape, so a seed client prints them. Room lines are given without
 * their `[#room] ` prefix: the relay adds it when it sends them (`inRoom`, `toRoom`).
 * Every nick, room name and reason passed in has already been checked: none is raw user input.
 */
import { notice } from './messages.ts';

// --- Refusals ---
export const notOperator = (room: string): string => notice(`you are not an operator of ${room}`);
export const NOT_SERVER_OPERATOR = notice('you are not a server operator');
export const notInThatRoom = (nick: string, room: string): string => notice(`${nick} is not in ${room}`);
export const alreadyInRoom = (nick: string, room: string): string => notice(`${nick} is already in ${room}`);
export const alreadyOperator = (nick: string, room: string): string =>
  notice(`${nick} is already an operator of ${room}`);
export const alreadyBanned = (nick: string, room: string): string =>
  notice(`${nick} is already banned from ${room}`);
export const notBanned = (nick: string, room: string): string => notice(`${nick} is not banned from ${room}`);
export const tooManyBans = (room: string, max: number): string =>
  notice(`${room} has ${max} bans already: /unban one first`);
export const tooManyInvites = (room: string, max: number): string =>
  notice(`${room} has ${max} pending invites already`);
export const LOBBY_STAYS_OPEN = notice('#lobby cannot be invite-only: every client starts there');

// --- What a refused joiner is told (admission) ---
export const youAreBanned = (room: string): string => notice(`you are banned from ${room}`);
export const isInviteOnly = (room: string): string => notice(`${room} is invite-only`);

// --- Room lines: what the members of the room see ---
export const madeOperator = (by: string, nick: string): string => notice(`${by} made ${nick} an operator`);
/** A cluster's first member of a room, made its operator by the bus's atomic step (after the join). */
export const nowOperator = (nick: string): string => notice(`${nick} is now an operator`);
export const kicked = (nick: string, by: string, reason: string): string =>
  notice(reason ? `${nick} was kicked by ${by} (${reason})` : `${nick} was kicked by ${by}`);
export const bannedBy = (by: string, nick: string): string => notice(`${by} banned ${nick}`);
export const unbannedBy = (by: string, nick: string): string => notice(`${by} unbanned ${nick}`);
export const inviteOnlySet = (by: string, room: string): string =>
  notice(`${by} made ${room} invite-only (+i)`);
export const inviteOnlyCleared = (by: string, room: string): string =>
  notice(`${by} opened ${room} to everyone (-i)`);
export const modesOf = (room: string, inviteOnly: boolean): string =>
  notice(`modes of ${room}: ${inviteOnly ? '+i' : 'none'}`);

/** A ban a relay learnt from the cluster's record of the room (the banner unknown) removes a member. */
export const kickedForBan = (nick: string): string => notice(`${nick} was kicked (banned)`);
/** The reason a ban's own kick gives. */
export const BANNED_REASON = 'banned';

// --- Invitations ---
export const invitesYou = (by: string, room: string): string => notice(`${by} invites you to ${room}`);
export const youInvited = (nick: string, room: string): string => notice(`you invited ${nick} to ${room}`);

// --- /kill ---
export const youWereKilled = (by: string, reason: string): string =>
  notice(reason ? `you were killed by ${by} (${reason})` : `you were killed by ${by}`);
/** The detail of the quit line the relay sends everyone who shared a room: `*** bob was killed (<detail>) ***`. */
export const killDetail = (by: string, reason: string): string =>
  reason ? `by ${by}: ${reason}` : `by ${by}`;
/** The same quit line, for a killer who shared no room with its victim (Relay.depart uses this wording). */
export const wasKilled = (nick: string, detail: string): string => notice(`${nick} was killed (${detail})`);
