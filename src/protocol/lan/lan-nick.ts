/**
 * Nicks on the LAN follow the relay's rules (../nick.ts checkNick, so look-alikes are one identity), with
 * one more: no `#` (or a look-alike of it) anywhere. A collision loser is shown as `nick#abcd`, a suffix
 * from its sender id; if `#` were allowed, anyone could take the name "bob#abcd" and pass for that loser.
 */
import { checkNick } from '../nick.ts';
import { COLLISION_SUFFIX_HEX_DIGITS } from './limits.ts';

export type LanNickCheck =
  | { readonly ok: true; readonly nick: string; readonly key: string }
  | { readonly ok: false; readonly reason: string };

const SUFFIX_SEPARATOR = '#';

export function checkLanNick(nick: string): LanNickCheck {
  const check = checkNick(nick);
  if (!check.ok) return check;
  if (check.key.includes(SUFFIX_SEPARATOR)) return { ok: false, reason: 'must not contain # on the LAN' };
  return check;
}

/** How a collision loser is shown: `nick#` and the first hex digits of its sender id. */
export function suffixedNick(nick: string, senderIdHex: string): string {
  return `${nick}${SUFFIX_SEPARATOR}${senderIdHex.slice(0, COLLISION_SUFFIX_HEX_DIGITS)}`;
}
