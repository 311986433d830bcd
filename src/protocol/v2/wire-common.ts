/**
 * What every v2 datagram shares (docs/PROTOCOL-v2.md, "Datagram layout"): the 3-byte header, the size
 * bound, and the 8-byte routing id that every type carries at offset 3. Also the checks encoders apply to
 * their fields: a wrong size or range there is a caller's bug and throws, unlike decoding, which never throws.
 */
import { MAX_DATAGRAM_BYTES } from '../limits.ts';
import { ByteReader, ByteWriter } from './bytes.ts';
import { HEADER_BYTES, NONCE_BYTES, V2_MAGIC, V2_VERSION } from './limits.ts';
import {
  type DecodeFailure,
  type DecodeFailureReason,
  PACKET_TYPE_CODES,
  type PacketType,
  type Peeked,
} from './packets.ts';

/** The nonce, session id or echo every type carries right after the header. */
const ROUTING_ID_BYTES = 8;

const TYPES_BY_CODE: ReadonlyMap<number, PacketType> = new Map(
  Object.entries(PACKET_TYPE_CODES).map(([name, code]) => [code, name as PacketType]),
);

export function fail(reason: DecodeFailureReason): DecodeFailure {
  return { ok: false, reason };
}

/**
 * Whether a datagram is v2: 0xFF never occurs in UTF-8, so no v1 line starts with it (and the seed's relay
 * drops it at decode).
 */
export function isV2(bytes: Uint8Array): boolean {
  return bytes.byteLength > 0 && bytes[0] === V2_MAGIC;
}

/** Why the header (and the overall size bound) is wrong, or null; `code` also requires that type. */
export function headerFailure(bytes: Uint8Array, code?: number): DecodeFailureReason | null {
  if (bytes.byteLength === 0) return 'short';
  if (bytes[0] !== V2_MAGIC) return 'magic';
  if (bytes.byteLength < HEADER_BYTES) return 'short';
  if (bytes[1] !== V2_VERSION) return 'version';
  if (bytes.byteLength > MAX_DATAGRAM_BYTES) return 'length';
  if (code !== undefined && bytes[2] !== code) return 'type';
  return null;
}

/** Why the size is outside [min, max], or null. */
export function sizeFailure(bytes: Uint8Array, min: number, max: number = min): DecodeFailureReason | null {
  if (bytes.byteLength < min) return 'short';
  if (bytes.byteLength > max) return 'length';
  return null;
}

/** A reader positioned after the header. */
export function bodyReader(bytes: Uint8Array): ByteReader {
  return new ByteReader(bytes.subarray(HEADER_BYTES));
}

/** A writer of `size` bytes with the header of `type` already written. */
export function headerWriter(type: PacketType, size: number): ByteWriter {
  return new ByteWriter(size).u8(V2_MAGIC).u8(V2_VERSION).u8(PACKET_TYPE_CODES[type]);
}

/** The type and routing id of a datagram, without verifying anything else (the tag needs the session's key). */
export function peek(bytes: Uint8Array): Peeked {
  const failure = headerFailure(bytes);
  if (failure !== null) return fail(failure);
  const type = TYPES_BY_CODE.get(bytes[2] ?? 0);
  if (type === undefined) return fail('type');
  if (bytes.byteLength < HEADER_BYTES + ROUTING_ID_BYTES) return fail('short');
  const id = bodyReader(bytes).take(ROUTING_ID_BYTES);
  switch (type) {
    case 'hello':
    case 'retry':
    case 'accept':
      return { ok: true, type, nonce: id };
    case 'reject':
      return { ok: true, type, echo: id };
    default:
      return { ok: true, type, sessionId: id };
  }
}

/**
 * The nonce to echo in REJECT reason 1 for a HELLO of another version, or null when `bytes` is not one.
 * The spec leaves this open; we assume (as QUIC's version-independent invariants, RFC 8999) that every
 * version keeps magic, version and type at offsets 0-2 and a HELLO's nonce at offset 3.
 */
export function unsupportedVersionEcho(bytes: Uint8Array): Uint8Array | null {
  if (headerFailure(bytes) !== 'version') return null;
  if (bytes[2] !== PACKET_TYPE_CODES.hello) return null;
  if (bytes.byteLength < HEADER_BYTES + NONCE_BYTES) return null;
  return bodyReader(bytes).take(NONCE_BYTES);
}

/** Throws unless `value` is exactly `length` bytes (a caller's bug, never the network's). */
export function requireBytes(name: string, value: Uint8Array, length: number): void {
  if (value.byteLength !== length)
    throw new RangeError(`${name} must be ${length} bytes, not ${value.byteLength}`);
}

/** Throws unless `value` is an integer that fits in `bits` unsigned bits. */
export function requireUint(name: string, value: number, bits: 8 | 16 | 32): void {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) {
    throw new RangeError(`${name} must be an unsigned ${bits}-bit integer, not ${value}`);
  }
}
