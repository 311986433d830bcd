/**
 * Nickname and room-name rules. A name is displayed exactly as chosen; its uniqueness is decided by its
 * look-alike key (lookalike.ts), so "Alice", "ａｌｉｃｅ" and "аlice" (Cyrillic а) cannot coexist.
 *
 * A refusal reason is sent back as `*** invalid nickname: <reason> ***`, so it never echoes the refused
 * characters: they may be exactly the controls the rules exist to keep off other people's terminals.
 */
import { MAX_NICK_CHARS } from './limits.ts';
import { lookalikeKey } from './lookalike.ts';
import { containsUnsafe } from './sanitize.ts';

export type NickCheck =
  | { readonly ok: true; readonly nick: string; readonly key: string }
  | { readonly ok: false; readonly reason: string };

/** A refusal reason, or null when the rule holds. */
type Refusal = string | null;

/** `#` names rooms, `/` starts commands, `*` starts relay notices (`*** ... ***`), `@` addresses a user. */
const RESERVED_FIRST_CHARACTERS: ReadonlySet<string> = new Set(['#', '/', '*', '@']);

const ROOM_PREFIX = '#';

const WHITESPACE = /\p{White_Space}/u;

/**
 * Beyond the unsafe code points (protocol/sanitize.ts: controls, format characters, which include every
 * bidi control of UAX #9 and the zero-width characters, separators, private use, lone surrogates,
 * unassigned code points), a name may hold no other Default_Ignorable_Code_Point (UAX #44; e.g. Hangul
 * fillers, variation selectors): a reader cannot see those either.
 */
const OTHER_INVISIBLE = /\p{Default_Ignorable_Code_Point}/u;

/** Validates a nickname (already trimmed); on success also returns its look-alike key for uniqueness. */
export function checkNick(nick: string): NickCheck {
  const reason = refuseLength(nick) ?? refuseReservedStart(nick) ?? refuseCharacters(nick);
  if (reason !== null) return { ok: false, reason };
  const key = lookalikeKey(nick);
  // A look-alike of a reserved character ("＃", "／", "∗", "﹫") would read as a room, command or notice.
  const lookalikeReason = refuseReservedStart(key);
  if (lookalikeReason !== null) return { ok: false, reason: lookalikeReason };
  // The same string when nothing folded: one string per client instead of two (100,000 clients add up).
  return { ok: true, nick, key: key === nick ? nick : key };
}

/**
 * Validates a room name: `#` then 1 to MAX_NICK_CHARS characters under the nickname character rules.
 * The key covers the whole name, `#` included; no nickname key starts with `#`, so the two never meet.
 */
export function checkRoomName(name: string): NickCheck {
  if (!name.startsWith(ROOM_PREFIX)) return { ok: false, reason: 'must start with #' };
  const body = name.slice(ROOM_PREFIX.length);
  const reason = refuseLength(body) ?? refuseCharacters(body);
  if (reason !== null) return { ok: false, reason };
  return { ok: true, nick: name, key: lookalikeKey(name) };
}

/** Length is counted in code points, as the seed's Python `len`: an emoji counts as one character. */
function refuseLength(name: string): Refusal {
  if (name.length === 0) return 'is empty';
  if (countCodePoints(name) > MAX_NICK_CHARS) return `longer than ${MAX_NICK_CHARS} characters`;
  return null;
}

/** Each reserved character is its own look-alike key, so the same test serves a nick and its key. */
function refuseReservedStart(nick: string): Refusal {
  const first = nick.charAt(0);
  return RESERVED_FIRST_CHARACTERS.has(first) ? 'must not start with #, /, * or @' : null;
}

/** Whitespace is checked first: it is the likelier mistake, and TAB, LF or U+2028 are both at once. */
function refuseCharacters(name: string): Refusal {
  if (WHITESPACE.test(name)) return 'contains whitespace';
  if (containsUnsafe(name) || OTHER_INVISIBLE.test(name)) return 'contains a control or invisible character';
  return null;
}

function countCodePoints(text: string): number {
  let count = 0;
  for (const _codePoint of text) count += 1;
  return count;
}
