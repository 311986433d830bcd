/**
 * The untagged datagrams of the handshake (docs/PROTOCOL-v2.md, "Handshake and address validation"):
 * HELLO, RETRY and REJECT. Their sizes are what keeps the relay within 3x of what an unvalidated address
 * sent (RFC 9000 §8): HELLO is padded to 96 bytes, RETRY is 31, REJECT 12.
 */
import { MAX_DATAGRAM_BYTES } from '../limits.ts';
import {
  COOKIE_BYTES,
  HELLO_MIN_BYTES,
  NONCE_BYTES,
  PUBLIC_KEY_BYTES,
  REJECT_PACKET_BYTES,
  REJECT_WITH_TOKEN_BYTES,
  RESET_TOKEN_BYTES,
  RETRY_PACKET_BYTES,
  SESSION_ID_BYTES,
} from './limits.ts';
import {
  type Decoded,
  type Fields,
  type HelloPacket,
  PACKET_TYPE_CODES,
  REJECT_REASONS,
  type RejectPacket,
  type RejectReason,
  type RetryPacket,
} from './packets.ts';
import { bodyReader, fail, headerFailure, headerWriter, requireBytes, sizeFailure } from './wire-common.ts';

const KNOWN_REJECT_REASONS: ReadonlySet<number> = new Set(Object.values(REJECT_REASONS));

/** HELLO, always exactly 96 bytes: the cookie (if any) and then zero padding. */
export function encodeHello(fields: Fields<HelloPacket>): Uint8Array {
  requireBytes('nonce', fields.nonce, NONCE_BYTES);
  requireBytes('public key', fields.publicKey, PUBLIC_KEY_BYTES);
  const cookie = fields.cookie ?? new Uint8Array(0);
  if (fields.cookie !== null) requireBytes('cookie', cookie, COOKIE_BYTES);
  const writer = headerWriter('hello', HELLO_MIN_BYTES);
  writer.raw(fields.nonce).raw(fields.publicKey).u8(cookie.byteLength).raw(cookie);
  return writer.bytes;
}

/**
 * A HELLO of 96 bytes or more (up to 1,200: a larger padding is allowed, as QUIC's Initial padding is).
 * The padding must be zero: nothing else may hide there.
 */
export function decodeHello(bytes: Uint8Array): Decoded<HelloPacket> {
  const failure =
    headerFailure(bytes, PACKET_TYPE_CODES.hello) ?? sizeFailure(bytes, HELLO_MIN_BYTES, MAX_DATAGRAM_BYTES);
  if (failure !== null) return fail(failure);
  const reader = bodyReader(bytes);
  const nonce = reader.take(NONCE_BYTES);
  const publicKey = reader.take(PUBLIC_KEY_BYTES);
  const cookieLength = reader.u8();
  if (cookieLength !== 0 && cookieLength !== COOKIE_BYTES) return fail('length');
  const cookie = cookieLength === 0 ? null : reader.take(cookieLength);
  if (!reader.span(reader.remaining).every((byte) => byte === 0)) return fail('padding');
  return { ok: true, packet: { type: 'hello', nonce, publicKey, cookie } };
}

/** RETRY: the nonce echoed and the cookie minted for the HELLO's address. */
export function encodeRetry(fields: Fields<RetryPacket>): Uint8Array {
  requireBytes('nonce', fields.nonce, NONCE_BYTES);
  requireBytes('cookie', fields.cookie, COOKIE_BYTES);
  return headerWriter('retry', RETRY_PACKET_BYTES).raw(fields.nonce).raw(fields.cookie).bytes;
}

export function decodeRetry(bytes: Uint8Array): Decoded<RetryPacket> {
  const failure = headerFailure(bytes, PACKET_TYPE_CODES.retry) ?? sizeFailure(bytes, RETRY_PACKET_BYTES);
  if (failure !== null) return fail(failure);
  const reader = bodyReader(bytes);
  const nonce = reader.take(NONCE_BYTES);
  return { ok: true, packet: { type: 'retry', nonce, cookie: reader.take(COOKIE_BYTES) } };
}

/** REJECT: the echo (a nonce or a session id, both 8 bytes), the reason, and for reason 4 the reset token. */
export function encodeReject(fields: Fields<RejectPacket>): Uint8Array {
  requireBytes('echo', fields.echo, SESSION_ID_BYTES);
  if (!KNOWN_REJECT_REASONS.has(fields.reason))
    throw new RangeError(`unknown REJECT reason ${fields.reason}`);
  const withToken = fields.reason === REJECT_REASONS.unknownSession;
  if (withToken !== (fields.token !== null)) throw new RangeError('a reset token goes with reason 4 only');
  const writer = headerWriter('reject', rejectSize(fields.reason)).raw(fields.echo).u8(fields.reason);
  if (fields.token !== null) {
    requireBytes('reset token', fields.token, RESET_TOKEN_BYTES);
    writer.raw(fields.token);
  }
  return writer.bytes;
}

/**
 * A REJECT with a reason the spec does not list, or a size other than its reason's (12 bytes, 28 for reason
 * 4), is malformed: it is untagged, so accept as little as possible.
 */
export function decodeReject(bytes: Uint8Array): Decoded<RejectPacket> {
  const failure =
    headerFailure(bytes, PACKET_TYPE_CODES.reject) ??
    sizeFailure(bytes, REJECT_PACKET_BYTES, REJECT_WITH_TOKEN_BYTES);
  if (failure !== null) return fail(failure);
  const reader = bodyReader(bytes);
  const echo = reader.take(SESSION_ID_BYTES);
  const reason = reader.u8();
  if (!isRejectReason(reason)) return fail('reason');
  if (bytes.byteLength !== rejectSize(reason)) return fail('length');
  const token = reason === REJECT_REASONS.unknownSession ? reader.take(RESET_TOKEN_BYTES) : null;
  return { ok: true, packet: { type: 'reject', echo, reason, token } };
}

function rejectSize(reason: RejectReason): number {
  return reason === REJECT_REASONS.unknownSession ? REJECT_WITH_TOKEN_BYTES : REJECT_PACKET_BYTES;
}

function isRejectReason(value: number): value is RejectReason {
  return KNOWN_REJECT_REASONS.has(value);
}
