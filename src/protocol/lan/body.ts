/**
 * The body of a LAN datagram (sealed or in clear): kind, nick claimed-at time, line number, nick, text.
 * The text runs to the end of the body, so it needs no length. Decoding applies exactly the rules encoding
 * does (checkLanNick, the relay's line cap), so whatever decodes could have been sent by an honest peer.
 */
import { codePointLength } from '../codec.ts';
import type { LanBody, LanDecodeError, LanEncodeError, LanKind } from './datagram.ts';
import { checkLanNick } from './lan-nick.ts';
import { BODY_FIXED_BYTES, MAX_LAN_TEXT_CHARS, MAX_LINE_NUMBER, MAX_NICK_BYTES } from './limits.ts';

const KIND_CODES: Readonly<Record<LanKind, number>> = {
  line: 0x01,
  action: 0x02,
  announce: 0x03,
  leave: 0x04,
};
const KINDS_BY_CODE: ReadonlyMap<number, LanKind> = new Map(
  Object.entries(KIND_CODES).map(([kind, code]) => [code, kind as LanKind]),
);

const TWO_TO_32 = 0x1_0000_0000;
/** The high half of a u64 that stays within Number.MAX_SAFE_INTEGER (2^53 - 1). */
const MAX_SAFE_HIGH = 0x1f_ffff;

/** TextEncoder would turn a lone surrogate into U+FFFD: the receiver would read another text. */
const LONE_SURROGATE = /\p{Cs}/u;

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export type BodyResult =
  | { readonly ok: true; readonly body: LanBody; readonly nickKey: string }
  | { readonly ok: false; readonly error: LanDecodeError };

export type BodyBytes =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly error: LanEncodeError };

/** Whether a kind carries text (lines and actions) or must not (announce, leave). */
export function carriesText(kind: LanKind): kind is 'line' | 'action' {
  return kind === 'line' || kind === 'action';
}

export function encodeBody(body: LanBody): BodyBytes {
  const problem = bodyProblem(body);
  if (problem !== null) return { ok: false, error: problem };
  const nick = encoder.encode(body.nick);
  const text = encoder.encode(body.text);
  const bytes = new Uint8Array(BODY_FIXED_BYTES + nick.byteLength + text.byteLength);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, KIND_CODES[body.kind]);
  view.setUint32(1, Math.floor(body.claimedAt / TWO_TO_32));
  view.setUint32(5, body.claimedAt % TWO_TO_32);
  view.setUint32(9, body.lineNumber);
  view.setUint8(13, nick.byteLength);
  bytes.set(nick, BODY_FIXED_BYTES);
  bytes.set(text, BODY_FIXED_BYTES + nick.byteLength);
  return { ok: true, bytes };
}

export function decodeBody(bytes: Uint8Array): BodyResult {
  if (bytes.byteLength < BODY_FIXED_BYTES) return { ok: false, error: 'truncated' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kind = KINDS_BY_CODE.get(view.getUint8(0));
  if (kind === undefined) return { ok: false, error: 'kind' };
  const high = view.getUint32(1);
  if (high > MAX_SAFE_HIGH) return { ok: false, error: 'timestamp' };
  const claimedAt = high * TWO_TO_32 + view.getUint32(5);
  const lineNumber = view.getUint32(9);
  const nickBytes = view.getUint8(13);
  if (BODY_FIXED_BYTES + nickBytes > bytes.byteLength) return { ok: false, error: 'truncated' };
  const nick = utf8(bytes.subarray(BODY_FIXED_BYTES, BODY_FIXED_BYTES + nickBytes));
  const text = utf8(bytes.subarray(BODY_FIXED_BYTES + nickBytes));
  if (nick === null || text === null) return { ok: false, error: 'invalid-utf8' };
  const nickCheck = checkLanNick(nick);
  if (!nickCheck.ok) return { ok: false, error: 'nick' };
  const textError = textProblem(kind, text);
  if (textError !== null) return { ok: false, error: textError };
  return { ok: true, body: { kind, claimedAt, lineNumber, nick, text }, nickKey: nickCheck.key };
}

/** The first rule `body` breaks, or null. */
function bodyProblem(body: LanBody): LanEncodeError | null {
  if (!Number.isSafeInteger(body.claimedAt) || body.claimedAt < 0) return 'timestamp';
  if (!Number.isInteger(body.lineNumber) || body.lineNumber < 0 || body.lineNumber > MAX_LINE_NUMBER)
    return 'line-number';
  if (!checkLanNick(body.nick).ok || encoder.encode(body.nick).byteLength > MAX_NICK_BYTES) return 'nick';
  if (LONE_SURROGATE.test(body.text)) return 'invalid-utf8';
  return textProblem(body.kind, body.text);
}

function textProblem(kind: LanKind, text: string): 'text-too-long' | 'text-empty' | 'text-unexpected' | null {
  if (!carriesText(kind)) return text.length === 0 ? null : 'text-unexpected';
  if (text.length === 0) return 'text-empty';
  return codePointLength(text) > MAX_LAN_TEXT_CHARS ? 'text-too-long' : null;
}

/** Strict UTF-8 (a lone surrogate can never be encoded, so none can be decoded), or null. */
function utf8(bytes: Uint8Array): string | null {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return null;
  }
}
