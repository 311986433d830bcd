/**
 * End-to-end room lines (docs/PROTOCOL-v2.md, "End-to-end rooms"): a member seals each line for the room
 * with ChaCha20-Poly1305 under the room's line key, and sends it as an ordinary chat line
 *
 *   "[e2e] " ‖ base64url(version ‖ key id (4) ‖ seq (u32) ‖ nonce (12) ‖ ciphertext(kind ‖ text) ‖ tag (16))
 *   AD = "udpchat e2e line v1" ‖ u16 ‖ lower(NFKC(room)) ‖ u16 ‖ sender nick ‖ version ‖ key id ‖ seq
 *
 * The relay routes, stamps `<nick>`, orders, rate-limits and stores it without being able to read it.
 * The sender's nick and the room are in the associated data, so a line the relay re-attributes to another
 * member or moves to another room no longer opens. Receivers take both from the relayed line itself.
 *
 * `openRoomLine` never throws: a body that is not a well-formed room line is `plain` (shown as the text it
 * is), one sealed with a key we do not hold is `unknown-key` (with its id, so the UI can say "another
 * passphrase"), and one whose key we hold but which does not open is `forged`.
 */
import { utf8Length } from './codec.ts';
import { MAX_LINE_CHARS } from './limits.ts';
import { normaliseRoomName, type RoomKey } from './room-key.ts';
import {
  ROOM_KEY_ID_BYTES,
  ROOM_KIND_BYTES,
  ROOM_LINE_VERSION,
  ROOM_NONCE_BYTES,
  ROOM_PAYLOAD_OVERHEAD_BYTES,
  ROOM_SEQ_BYTES,
} from './room-limits.ts';
import { ROOM_LINE_PREFIX } from './room-messages.ts';
import { openAead, sealAead } from './v2/aead.ts';
import { ByteReader, ByteWriter } from './v2/bytes.ts';
import { MAX_LINE_TEXT_BYTES } from './v2/frame-codec.ts';

export const ROOM_AD_LABEL = 'udpchat e2e line v1';
const LOBBY = '#lobby';
const HEADER_BYTES = 1 + ROOM_KEY_ID_BYTES + ROOM_SEQ_BYTES;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const ROOM_LINE_KINDS = { message: 0, action: 1 } as const;
export type RoomLineKind = keyof typeof ROOM_LINE_KINDS;

/** Where a line is said and by whom: the room (`#lobby` for unprefixed lines) and the relay-stamped nick. */
export interface RoomLineContext {
  readonly room: string;
  readonly nick: string;
}

export interface RoomLine {
  /** The sender's count of its lines in this room since it (re)joined; u32. */
  readonly seq: number;
  readonly kind: RoomLineKind;
  /** One line of text, without `\n`; receivers sanitise it before showing it. */
  readonly text: string;
}

export type RoomLineOpened =
  | { readonly type: 'plain' }
  | { readonly type: 'unknown-key'; readonly keyId: Uint8Array }
  | { readonly type: 'forged'; readonly key: RoomKey }
  /** A newer line format or kind than this client knows. */
  | { readonly type: 'unsupported' }
  | ({ readonly type: 'line'; readonly key: RoomKey } & RoomLine);

/**
 * The longest text (UTF-8 bytes) a member may seal for `context`: its line must stay within v1's 1,024
 * characters, and the relayed form (`[#room] <nick> line`, or `<nick> line` in the lobby) within the
 * largest LINE frame (1,154 bytes), so v1 and v2 members alike receive it. 725 bytes for any ASCII nick
 * and room name of up to 32 characters.
 */
export function maxRoomTextBytes(context: RoomLineContext): number {
  const stamp = utf8Length(context.nick) + 3;
  const relayed = normaliseRoomName(context.room) === LOBBY ? stamp : stamp + utf8Length(context.room) + 3;
  const lineChars = Math.min(MAX_LINE_CHARS, MAX_LINE_TEXT_BYTES - relayed);
  const payload = Math.floor(((lineChars - ROOM_LINE_PREFIX.length) * 3) / 4);
  return Math.max(0, payload - ROOM_PAYLOAD_OVERHEAD_BYTES);
}

function associatedData(context: RoomLineContext, header: Uint8Array): Uint8Array {
  const label = encoder.encode(ROOM_AD_LABEL);
  const room = encoder.encode(normaliseRoomName(context.room));
  const nick = encoder.encode(context.nick);
  const writer = new ByteWriter(
    label.byteLength + 2 + room.byteLength + 2 + nick.byteLength + header.byteLength,
  );
  return writer.raw(label).u16(room.byteLength).raw(room).u16(nick.byteLength).raw(nick).raw(header).bytes;
}

function lineHeader(keyId: Uint8Array, seq: number): Uint8Array {
  return new ByteWriter(HEADER_BYTES).u8(ROOM_LINE_VERSION).raw(keyId).u32(seq).bytes;
}

/**
 * The line to send. `nonce` is 12 fresh random bytes (the binding draws them). Throws RangeError for a
 * seq outside u32, a `\n`, or a text longer than `maxRoomTextBytes(context)`.
 */
export function sealRoomLine(
  key: RoomKey,
  context: RoomLineContext,
  line: RoomLine,
  nonce: Uint8Array,
): string {
  if (!Number.isInteger(line.seq) || line.seq < 0 || line.seq > 0xffff_ffff)
    throw new RangeError('seq is a u32');
  if (nonce.byteLength !== ROOM_NONCE_BYTES)
    throw new RangeError(`a room nonce is ${ROOM_NONCE_BYTES} bytes`);
  if (line.text.includes('\n')) throw new RangeError('a room line is one line');
  const text = encoder.encode(line.text);
  const max = maxRoomTextBytes(context);
  if (text.byteLength > max)
    throw new RangeError(`a room line holds at most ${max} bytes here, not ${text.byteLength}`);
  const header = lineHeader(key.keyId, line.seq);
  const plaintext = new Uint8Array(ROOM_KIND_BYTES + text.byteLength);
  plaintext[0] = ROOM_LINE_KINDS[line.kind];
  plaintext.set(text, ROOM_KIND_BYTES);
  const sealed = sealAead(key.lineKey, nonce, plaintext, associatedData(context, header));
  const payload = new Uint8Array(header.byteLength + nonce.byteLength + sealed.byteLength);
  payload.set(header, 0);
  payload.set(nonce, header.byteLength);
  payload.set(sealed, header.byteLength + nonce.byteLength);
  return ROOM_LINE_PREFIX + Buffer.from(payload).toString('base64url');
}

/** The payload of a body that is a well-formed room line, or null. One spelling per payload is accepted. */
function payloadOf(body: string): Uint8Array | null {
  if (!body.startsWith(ROOM_LINE_PREFIX)) return null;
  const encoded = body.slice(ROOM_LINE_PREFIX.length);
  if (encoded.length > MAX_LINE_CHARS || !BASE64URL.test(encoded)) return null;
  const payload = Buffer.from(encoded, 'base64url');
  if (payload.toString('base64url') !== encoded) return null;
  if (payload.byteLength < ROOM_PAYLOAD_OVERHEAD_BYTES) return null;
  return new Uint8Array(payload);
}

/** Opens a relayed line's body (what follows `<nick> `) with whichever held key its id names. */
export function openRoomLine(
  keys: readonly RoomKey[],
  context: RoomLineContext,
  body: string,
): RoomLineOpened {
  const payload = payloadOf(body);
  if (payload === null) return { type: 'plain' };
  const reader = new ByteReader(payload);
  if (reader.u8() !== ROOM_LINE_VERSION) return { type: 'unsupported' };
  const keyId = reader.take(ROOM_KEY_ID_BYTES);
  const seq = reader.u32();
  const key = keys.find((held) => Buffer.compare(held.keyId, keyId) === 0);
  if (key === undefined) return { type: 'unknown-key', keyId };
  const nonce = reader.span(ROOM_NONCE_BYTES);
  const header = payload.subarray(0, HEADER_BYTES);
  const plaintext = openAead(
    key.lineKey,
    nonce,
    reader.span(reader.remaining),
    associatedData(context, header),
  );
  if (plaintext === null) return { type: 'forged', key };
  const kind = kindOf(plaintext[0]);
  if (kind === null) return { type: 'unsupported' };
  // Lenient decoding (bad bytes become U+FFFD), as the client decodes every relayed line; the UI sanitises.
  return { type: 'line', key, seq, kind, text: decoder.decode(plaintext.subarray(ROOM_KIND_BYTES)) };
}

function kindOf(code: number | undefined): RoomLineKind | null {
  if (code === ROOM_LINE_KINDS.message) return 'message';
  if (code === ROOM_LINE_KINDS.action) return 'action';
  return null;
}
