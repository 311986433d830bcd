/**
 * The handshake datagrams of wire version 3 that are not sealed (docs/PROTOCOL-v2.md, "HELLO", "RETRY",
 * "REJECT"): nothing exists yet to protect them with. They stay small so the relay answers an unvalidated
 * address with at most a third of what it sent (RFC 9000 §8): HELLO is padded to 96 bytes, RETRY is 31,
 * REJECT 12, or 28 with a reset token (sent only in answer to a DATA or RESPONSE, at least 39 bytes).
 *
 * HELLO gains an extensions field (type u8, length u16, value; none defined yet) where a later revision
 * puts a resumption ticket; a relay skips extensions it does not know, so adding one needs no new version.
 */
import { MAX_DATAGRAM_BYTES } from '../limits.ts';
import { ByteReader, ByteWriter } from './bytes.ts';
import {
  COOKIE_BYTES,
  HEADER_BYTES,
  HELLO_MIN_BYTES,
  NONCE_BYTES,
  PUBLIC_KEY_BYTES,
  V2_MAGIC,
} from './limits.ts';
import { PACKET_TYPE_CODES } from './packets.ts';
import {
  HELLO_EXTENSIONS_LENGTH_BYTES,
  PROTECTED_REJECT_BYTES,
  PROTECTED_REJECT_WITH_TOKEN_BYTES,
  PROTECTED_VERSION,
  RESET_TOKEN_BYTES,
} from './protected-limits.ts';
import {
  failure,
  PROTECTED_REJECT_REASONS,
  type ProtectedFailure,
  type ProtectedFailureReason,
  type ProtectedRejectReason,
} from './protected-packets.ts';
import { requireBytes } from './wire-common.ts';

/** Wire version 2's version byte: a HELLO of that version is refused in that version's REJECT layout. */
const WIRE2_VERSION = 2;
const EXTENSION_HEADER_BYTES = 3;

export interface Extension {
  readonly type: number;
  readonly value: Uint8Array;
}

export interface Hello3 {
  readonly nonce: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly cookie: Uint8Array | null;
  /** The extensions field exactly as sent: the transcript covers these bytes. */
  readonly extensions: Uint8Array;
}

export interface Retry3 {
  readonly nonce: Uint8Array;
  readonly cookie: Uint8Array;
}

export interface Reject3 {
  /** The HELLO's nonce (reasons 1, 3, 5) or the session id (reason 4). */
  readonly echo: Uint8Array;
  readonly reason: ProtectedRejectReason;
  /** Reason 4 only: HMAC-SHA256(reset key, label ‖ session id)[0..16]. */
  readonly token: Uint8Array | null;
}

type Result<T> = { readonly ok: true; readonly packet: T } | ProtectedFailure;

function header(type: keyof typeof PACKET_TYPE_CODES, size: number, version = PROTECTED_VERSION): ByteWriter {
  return new ByteWriter(size).u8(V2_MAGIC).u8(version).u8(PACKET_TYPE_CODES[type]);
}

/** Why the first three bytes are not wire 3's `type`, or null. */
function headerFailure(
  bytes: Uint8Array,
  type: keyof typeof PACKET_TYPE_CODES,
): ProtectedFailureReason | null {
  if (bytes.byteLength === 0) return 'short';
  if (bytes[0] !== V2_MAGIC) return 'magic';
  if (bytes.byteLength < HEADER_BYTES) return 'short';
  if (bytes[1] !== PROTECTED_VERSION) return 'version';
  if (bytes[2] !== PACKET_TYPE_CODES[type]) return 'type';
  if (bytes.byteLength > MAX_DATAGRAM_BYTES) return 'length';
  return null;
}

/** Encodes extension items; throws RangeError for a type or value that does not fit its field. */
export function encodeExtensions(items: readonly Extension[]): Uint8Array {
  const size = items.reduce((sum, item) => sum + EXTENSION_HEADER_BYTES + item.value.byteLength, 0);
  const writer = new ByteWriter(size);
  for (const item of items) {
    if (!Number.isInteger(item.type) || item.type < 0 || item.type > 0xff)
      throw new RangeError('extension type');
    if (item.value.byteLength > 0xffff) throw new RangeError('extension value too long');
    writer.u8(item.type).u16(item.value.byteLength).raw(item.value);
  }
  return writer.bytes;
}

/** The items of an extensions field, or null when their lengths do not add up exactly. */
export function decodeExtensions(bytes: Uint8Array): Extension[] | null {
  const items: Extension[] = [];
  const reader = new ByteReader(bytes);
  while (reader.remaining > 0) {
    if (reader.remaining < EXTENSION_HEADER_BYTES) return null;
    const type = reader.u8();
    const length = reader.u16();
    if (reader.remaining < length) return null;
    items.push({ type, value: reader.take(length) });
  }
  return items;
}

/** HELLO, padded with zeros to 96 bytes (more when the extensions need it). */
export function encodeHello3(hello: Hello3): Uint8Array {
  requireBytes('nonce', hello.nonce, NONCE_BYTES);
  requireBytes('public key', hello.publicKey, PUBLIC_KEY_BYTES);
  if (hello.cookie !== null) requireBytes('cookie', hello.cookie, COOKIE_BYTES);
  if (decodeExtensions(hello.extensions) === null) throw new RangeError('malformed HELLO extensions');
  const cookie = hello.cookie ?? new Uint8Array(0);
  const content =
    HEADER_BYTES +
    NONCE_BYTES +
    PUBLIC_KEY_BYTES +
    1 +
    cookie.byteLength +
    HELLO_EXTENSIONS_LENGTH_BYTES +
    hello.extensions.byteLength;
  if (content > MAX_DATAGRAM_BYTES)
    throw new RangeError(`a HELLO of ${content} bytes exceeds ${MAX_DATAGRAM_BYTES}`);
  const writer = header('hello', Math.max(HELLO_MIN_BYTES, content));
  writer.raw(hello.nonce).raw(hello.publicKey).u8(cookie.byteLength).raw(cookie);
  writer.u16(hello.extensions.byteLength).raw(hello.extensions);
  return writer.bytes;
}

/** A HELLO of 96 to 1,200 bytes, cookie 0 or 20 bytes, well-formed extensions, zero padding. */
export function decodeHello3(bytes: Uint8Array): Result<Hello3> {
  const bad = headerFailure(bytes, 'hello');
  if (bad !== null) return failure(bad);
  if (bytes.byteLength < HELLO_MIN_BYTES) return failure('short');
  const reader = new ByteReader(bytes.subarray(HEADER_BYTES));
  const nonce = reader.take(NONCE_BYTES);
  const publicKey = reader.take(PUBLIC_KEY_BYTES);
  const cookieLength = reader.u8();
  if (cookieLength !== 0 && cookieLength !== COOKIE_BYTES) return failure('length');
  const cookie = cookieLength === 0 ? null : reader.take(COOKIE_BYTES);
  if (reader.remaining < HELLO_EXTENSIONS_LENGTH_BYTES) return failure('short');
  const extensionsLength = reader.u16();
  if (reader.remaining < extensionsLength) return failure('extensions');
  const extensions = reader.take(extensionsLength);
  if (decodeExtensions(extensions) === null) return failure('extensions');
  if (!reader.span(reader.remaining).every((byte) => byte === 0)) return failure('padding');
  return { ok: true, packet: { nonce, publicKey, cookie, extensions } };
}

export function encodeRetry3(retry: Retry3): Uint8Array {
  requireBytes('nonce', retry.nonce, NONCE_BYTES);
  requireBytes('cookie', retry.cookie, COOKIE_BYTES);
  return header('retry', HEADER_BYTES + NONCE_BYTES + COOKIE_BYTES)
    .raw(retry.nonce)
    .raw(retry.cookie).bytes;
}

export function decodeRetry3(bytes: Uint8Array): Result<Retry3> {
  const bad = headerFailure(bytes, 'retry');
  if (bad !== null) return failure(bad);
  const size = HEADER_BYTES + NONCE_BYTES + COOKIE_BYTES;
  if (bytes.byteLength !== size) return failure(bytes.byteLength < size ? 'short' : 'length');
  const reader = new ByteReader(bytes.subarray(HEADER_BYTES));
  return { ok: true, packet: { nonce: reader.take(NONCE_BYTES), cookie: reader.take(COOKIE_BYTES) } };
}

const KNOWN_REJECT_REASONS: ReadonlySet<number> = new Set(Object.values(PROTECTED_REJECT_REASONS));

function isRejectReason(value: number): value is ProtectedRejectReason {
  return KNOWN_REJECT_REASONS.has(value);
}

/** REJECT: 12 bytes, or 28 for reason 4, whose token is required (and allowed for no other reason). */
export function encodeReject3(reject: Reject3): Uint8Array {
  requireBytes('echo', reject.echo, NONCE_BYTES);
  if (!isRejectReason(reject.reason)) throw new RangeError(`unknown REJECT reason ${reject.reason}`);
  const withToken = reject.reason === PROTECTED_REJECT_REASONS.unknownSession;
  if (withToken !== (reject.token !== null)) throw new RangeError('only REJECT 4 carries a reset token');
  if (reject.token !== null) requireBytes('reset token', reject.token, RESET_TOKEN_BYTES);
  const size = withToken ? PROTECTED_REJECT_WITH_TOKEN_BYTES : PROTECTED_REJECT_BYTES;
  const writer = header('reject', size).raw(reject.echo).u8(reject.reason);
  if (reject.token !== null) writer.raw(reject.token);
  return writer.bytes;
}

export function decodeReject3(bytes: Uint8Array): Result<Reject3> {
  const bad = headerFailure(bytes, 'reject');
  if (bad !== null) return failure(bad);
  if (bytes.byteLength < PROTECTED_REJECT_BYTES) return failure('short');
  const reader = new ByteReader(bytes.subarray(HEADER_BYTES));
  const echo = reader.take(NONCE_BYTES);
  const reason = reader.u8();
  if (!isRejectReason(reason)) return failure('reason');
  const withToken = reason === PROTECTED_REJECT_REASONS.unknownSession;
  const size = withToken ? PROTECTED_REJECT_WITH_TOKEN_BYTES : PROTECTED_REJECT_BYTES;
  if (bytes.byteLength !== size) return failure(bytes.byteLength < size ? 'short' : 'length');
  return { ok: true, packet: { echo, reason, token: withToken ? reader.take(RESET_TOKEN_BYTES) : null } };
}

/**
 * The REJECT 1 for a HELLO of a version other than 3, or null when `bytes` is not one (or too short to
 * carry a nonce). A wire-2 HELLO gets wire 2's own 12-byte REJECT (`FF 02 08 nonce 01`), which a wire-2
 * client understands: it then falls back to v1 instead of waiting in silence. Any other version gets the
 * same bytes with version 3: every version keeps the header and a HELLO's nonce at offset 3 (RFC 8999's
 * lesson), so one layout serves all.
 */
export function versionRejectFor(bytes: Uint8Array): Uint8Array | null {
  if (bytes.byteLength < HEADER_BYTES + NONCE_BYTES || bytes.byteLength > MAX_DATAGRAM_BYTES) return null;
  if (bytes[0] !== V2_MAGIC || bytes[1] === PROTECTED_VERSION || bytes[2] !== PACKET_TYPE_CODES.hello)
    return null;
  const version = bytes[1] === WIRE2_VERSION ? WIRE2_VERSION : PROTECTED_VERSION;
  const nonce = bytes.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES);
  return header('reject', PROTECTED_REJECT_BYTES, version)
    .raw(nonce)
    .u8(PROTECTED_REJECT_REASONS.versionNotSupported).bytes;
}

/**
 * Client side: a REJECT 1 of any version (a wire-2 relay refuses our HELLO in its own layout). Returns the
 * sender's version and the echoed nonce, or null for anything else.
 */
export function readVersionReject(
  bytes: Uint8Array,
): { readonly version: number; readonly echo: Uint8Array } | null {
  if (bytes.byteLength !== PROTECTED_REJECT_BYTES || bytes[0] !== V2_MAGIC) return null;
  if (bytes[2] !== PACKET_TYPE_CODES.reject || bytes[11] !== PROTECTED_REJECT_REASONS.versionNotSupported)
    return null;
  return {
    version: bytes[1] ?? 0,
    echo: new Uint8Array(bytes.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES)),
  };
}
