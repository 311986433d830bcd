/**
 * The resumption ticket (docs/PROTOCOL-v2.md, section 16): what a relay hands a joined v2 session so that
 * any relay of its cluster can restore the session's nick and rooms after its relay died. The ticket is
 * sealed with ChaCha20-Poly1305 under a key every relay of the cluster derives from the cluster's shared
 * key, so the client carries bytes it can neither read nor change, and a stranger (who lacks the key)
 * cannot make one that opens. A standalone relay seals with a random key of its own: its tickets open
 * nowhere else.
 *
 * Pure: the caller gives the key, the nonce's randomness and the time. Opening never throws on what the
 * network sends; a short, altered, forged or malformed ticket is `null`.
 */
import { type AeadKey, aeadKey, openAead, sealAead } from './aead.ts';
import { ByteReader, ByteWriter } from './bytes.ts';
import { drawRandom, type RandomSource } from './crypto.ts';
import { hkdfExpand, hkdfExtract } from './hkdf.ts';
import { AEAD_NONCE_BYTES, AEAD_TAG_BYTES, IDENTITY_KEY_BYTES } from './protected-limits.ts';

/** The first byte of every ticket: its format. A relay refuses a format it does not know. */
export const TICKET_FORMAT = 0x01;
export const RESUMPTION_ID_BYTES = 8;
/** How long a ticket is honoured after it was issued, by default: long enough to ride out a failover. */
export const DEFAULT_TICKET_LIFETIME_MS = 10 * 60_000;
/** The most rooms a ticket names (MAX_ROOMS_PER_CLIENT) and the longest name or node id it carries. */
export const MAX_TICKET_ROOMS = 20;
const MAX_FIELD_BYTES = 64;
const NO_CURRENT_ROOM = 0xff;

const KEY_LABEL = 'udpchat resume ticket key';
const ASSOCIATED_DATA = new TextEncoder().encode('udpchat resume ticket v1');
const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** What a ticket says about the session it resumes. */
export interface TicketContent {
  /** Random, unique per ticket: a relay honours each id once. */
  readonly resumptionId: Uint8Array;
  /** Unix ms after which no relay honours it. */
  readonly expiresAt: number;
  /** The client's resumption key (Ed25519, raw): only its holder can present the ticket (resume-proof.ts). */
  readonly clientKey: Uint8Array;
  /** The relay that issued it (its node id). */
  readonly node: string;
  readonly nick: string;
  /** The nick was logged in to its account (its secret was checked) when the ticket was issued. */
  readonly account: boolean;
  readonly serverOperator: boolean;
  /** The rooms the session was in (the lobby included), in order; `current` is one of them or null. */
  readonly rooms: readonly string[];
  readonly current: string | null;
}

/** The ticket key of a cluster: HKDF-SHA256 of the key every relay of it shares, with its own label. */
export function ticketKey(sharedKey: Uint8Array): AeadKey {
  if (sharedKey.byteLength < 16) throw new RangeError('a cluster key has at least 16 bytes');
  return aeadKey(hkdfExpand(hkdfExtract(new Uint8Array(0), sharedKey), KEY_LABEL, 32));
}

/** format (1) ‖ nonce (12) ‖ ChaCha20-Poly1305(body) ‖ tag (16); the format byte is authenticated too. */
export function sealTicket(key: AeadKey, random: RandomSource, content: TicketContent): Uint8Array {
  const nonce = drawRandom(random, AEAD_NONCE_BYTES);
  const prefix = new Uint8Array(1 + AEAD_NONCE_BYTES);
  prefix[0] = TICKET_FORMAT;
  prefix.set(nonce, 1);
  return sealAead(key, nonce, encodeBody(content), ASSOCIATED_DATA, prefix);
}

/** The ticket's content, or null when it does not open under `key` or is not a well-formed ticket. */
export function openTicket(key: AeadKey, ticket: Uint8Array): TicketContent | null {
  if (ticket.byteLength < 1 + AEAD_NONCE_BYTES + AEAD_TAG_BYTES || ticket[0] !== TICKET_FORMAT) return null;
  const nonce = ticket.subarray(1, 1 + AEAD_NONCE_BYTES);
  const body = openAead(key, nonce, ticket.subarray(1 + AEAD_NONCE_BYTES), ASSOCIATED_DATA);
  return body === null ? null : decodeBody(body);
}

/*
 * The sealed body:
 *   resumption id (8) · expiry Unix ms (u32 high, u32 low) · client key (32) · flags (u8: 1 account,
 *   2 server operator) · node (u8 length, UTF-8) · nick (u8 length, UTF-8) · room count (u8) · current
 *   room index (u8, 0xFF none) · each room (u8 length, UTF-8)
 */
function encodeBody(content: TicketContent): Uint8Array {
  if (content.resumptionId.byteLength !== RESUMPTION_ID_BYTES)
    throw new RangeError('resumption id is 8 bytes');
  if (content.clientKey.byteLength !== IDENTITY_KEY_BYTES) throw new RangeError('client key is 32 bytes');
  if (content.rooms.length > MAX_TICKET_ROOMS) throw new RangeError('too many rooms for a ticket');
  const fields = [content.node, content.nick].map(field);
  const rooms = content.rooms.map(field);
  const currentIndex = content.current === null ? -1 : content.rooms.indexOf(content.current);
  let size = RESUMPTION_ID_BYTES + 8 + IDENTITY_KEY_BYTES + 1 + 2;
  for (const bytes of [...fields, ...rooms]) size += 1 + bytes.byteLength;
  const writer = new ByteWriter(size);
  writer.raw(content.resumptionId);
  writer.u32(Math.floor(content.expiresAt / 2 ** 32)).u32(content.expiresAt % 2 ** 32);
  writer.raw(content.clientKey);
  writer.u8((content.account ? 1 : 0) | (content.serverOperator ? 2 : 0));
  for (const bytes of fields) writer.u8(bytes.byteLength).raw(bytes);
  writer.u8(rooms.length).u8(currentIndex < 0 ? NO_CURRENT_ROOM : currentIndex);
  for (const bytes of rooms) writer.u8(bytes.byteLength).raw(bytes);
  return writer.bytes;
}

function field(text: string): Uint8Array {
  const bytes = encoder.encode(text);
  if (bytes.byteLength === 0 || bytes.byteLength > MAX_FIELD_BYTES)
    throw new RangeError(`a ticket field is 1 to ${MAX_FIELD_BYTES} bytes`);
  return bytes;
}

function decodeBody(body: Uint8Array): TicketContent | null {
  const reader = new ByteReader(body);
  if (reader.remaining < RESUMPTION_ID_BYTES + 8 + IDENTITY_KEY_BYTES + 1) return null;
  const resumptionId = reader.take(RESUMPTION_ID_BYTES);
  const expiresAt = reader.u32() * 2 ** 32 + reader.u32();
  const clientKey = reader.take(IDENTITY_KEY_BYTES);
  const flags = reader.u8();
  const node = readField(reader);
  const nick = readField(reader);
  if (node === null || nick === null || reader.remaining < 2) return null;
  const count = reader.u8();
  const currentIndex = reader.u8();
  if (count > MAX_TICKET_ROOMS) return null;
  const rooms: string[] = [];
  for (let i = 0; i < count; i++) {
    const room = readField(reader);
    if (room === null) return null;
    rooms.push(room);
  }
  if (reader.remaining !== 0) return null;
  if (currentIndex !== NO_CURRENT_ROOM && currentIndex >= count) return null;
  const current = currentIndex === NO_CURRENT_ROOM ? null : (rooms[currentIndex] ?? null);
  const account = (flags & 1) !== 0;
  const serverOperator = (flags & 2) !== 0;
  return { resumptionId, expiresAt, clientKey, node, nick, account, serverOperator, rooms, current };
}

function readField(reader: ByteReader): string | null {
  if (reader.remaining < 1) return null;
  const length = reader.u8();
  if (length === 0 || length > MAX_FIELD_BYTES || reader.remaining < length) return null;
  try {
    return strictDecoder.decode(reader.span(length));
  } catch {
    return null;
  }
}
