/**
 * What a typed line must pass before it becomes a datagram: the relay's own rules (../relay/text-check.ts:
 * the length in characters, then the one sanitising pass, refused when nothing printable is left), the
 * datagram size, and flood control. A refused line is never truncated: the user decides what to send.
 */
import { codePointLength } from '../protocol/codec.ts';
import type { LanEncodeError } from '../protocol/lan/datagram.ts';
import { MAX_LAN_DATAGRAM_BYTES, MAX_LAN_TEXT_CHARS } from '../protocol/lan/limits.ts';
import { sanitizeText } from '../protocol/sanitize.ts';
import type { LanRefusal } from './events.ts';

export type CheckedText =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly refusal: LanRefusal };

/** The text as it will be sent (sanitised), or why it will not be. */
export function checkTypedText(raw: string): CheckedText {
  if (raw.length === 0) return refuse('empty', 'nothing to send');
  if (/[\r\n]/.test(raw)) return refuse('line-break', 'a line cannot contain a line break');
  const chars = codePointLength(raw);
  if (chars > MAX_LAN_TEXT_CHARS)
    return refuse('too-long', `line not sent: ${chars} characters (max ${MAX_LAN_TEXT_CHARS})`);
  const text = sanitizeText(raw);
  if (text.length === 0) return refuse('nothing-printable', 'line not sent: nothing printable in it');
  return { ok: true, text };
}

/** The refusal for a line that passed checkTypedText but does not encode (in practice: too many bytes). */
export function encodeRefusal(error: LanEncodeError): LanRefusal {
  if (error === 'too-large')
    return {
      code: 'too-large',
      message: `line not sent: it does not fit in one ${MAX_LAN_DATAGRAM_BYTES}-byte datagram`,
    };
  return { code: 'unencodable', message: `line not sent: it cannot be encoded (${error})` };
}

export function throttledRefusal(burst: number, perSecond: number): LanRefusal {
  return {
    code: 'throttled',
    message: `line not sent: at most ${burst} lines at once, then ${perSecond} a second`,
  };
}

export const INACTIVE_REFUSAL: LanRefusal = {
  code: 'inactive',
  message: 'not in the group: start first, or already left',
};

function refuse(code: LanRefusal['code'], message: string): CheckedText {
  return { ok: false, refusal: { code, message } };
}
