/**
 * The exact text of every line the v1 relay sends. The first block is the seed's wording, byte for byte;
 * the second holds our refusals, which keep the seed's `*** ... ***` notice shape so a v1 client prints them.
 * Lines are given without the trailing `\n`; the codec adds it.
 */

// --- The seed's lines (relay.py) ---
export const welcome = (nick: string): string => `*** welcome, ${nick} ***`;
export const joined = (nick: string): string => `*** ${nick} joined ***`;
export const left = (nick: string): string => `*** ${nick} left ***`;
export const timedOut = (nick: string): string => `*** ${nick} timed out ***`;
export const chat = (nick: string, text: string): string => `<${nick}> ${text}`;
export const PLEASE_JOIN = '*** please /join <nickname> first ***';
export const PONG = '/pong';
export const PING = '/ping';
export const LEAVE = '/leave';
export const JOIN_PREFIX = '/join ';
export const SERVER_GOING_DOWN = '*** server going down ***';
/** The seed gives an empty `/join ` this nickname. */
export const DEFAULT_NICK = 'anon';

// --- Our refusals (differences from the seed, listed in docs/PROTOCOL.md) ---
export const nickInUse = (nick: string): string => `*** nickname ${nick} is already in use ***`;
export const nickInvalid = (reason: string): string => `*** invalid nickname: ${reason} ***`;
export const alreadyJoined = (nick: string): string => `*** you are already joined as ${nick} ***`;
export const lineTooLong = (chars: number, max: number): string =>
  `*** line refused: ${chars} characters (max ${max}) ***`;
export const lineTooManyBytes = (max: number): string =>
  `*** line refused: too long to relay in one datagram (max ${max} bytes) ***`;
export const INVALID_UTF8 = '*** datagram refused: not valid UTF-8 ***';
export const datagramTooLarge = (bytes: number, max: number): string =>
  `*** datagram refused: ${bytes} bytes (max ${max}) ***`;
export const tooManyLines = (max: number): string =>
  `*** datagram refused: more than ${max} lines in one datagram ***`;
export const NOTHING_PRINTABLE = '*** line refused: nothing printable in it ***';

/** A notice line from a relay: `*** ... ***`. */
export function isNotice(line: string): boolean {
  return line.startsWith('*** ') && line.endsWith(' ***');
}

/** A chat line as relayed: `<nick> text`. Returns the parts, or null for any other line. */
export function parseChat(line: string): { nick: string; text: string } | null {
  if (!line.startsWith('<')) return null;
  const end = line.indexOf('> ');
  if (end < 2) return null;
  return { nick: line.slice(1, end), text: line.slice(end + 2) };
}

/** The nick in a `*** welcome, <nick> ***` line, or null. */
export function parseWelcome(line: string): string | null {
  const prefix = '*** welcome, ';
  if (!line.startsWith(prefix) || !line.endsWith(' ***')) return null;
  return line.slice(prefix.length, -4);
}

/**
 * Lines that only a relay sends. An address that has not joined and sends one of these is another relay
 * (or a forgery of one); answering it could start a reply loop, so it is never answered.
 */
export function looksLikeRelayOutput(line: string): boolean {
  return line === PONG || isNotice(line) || parseChat(line) !== null;
}
