/**
 * Packet protection (docs/PROTOCOL-v2.md, "Packet protection"): every datagram after the handshake is
 *
 *   header (15, in clear) = 0xFF ‖ 0x03 ‖ type ‖ session id (8) ‖ packet number (u32)
 *   then ChaCha20-Poly1305(key of its direction, nonce = iv XOR packet number, AD = header, payload) ‖ tag
 *
 * so its frames, acks and reasons are unreadable on the wire, and changing any bit of header or body makes
 * it fail to open. The header stays in clear because the receiver needs the session id to find the key and
 * the packet number to make the nonce (QUIC additionally masks the number, RFC 9001 §5.4; a chat relay has
 * nothing to hide in it that the timing does not already show).
 *
 * `readProtectedHeader` routes without decrypting; `openPacket` checks type, size and then the AEAD. The
 * replay window (replay-window.ts) is the caller's: a number is recorded only after its packet opened.
 */
import { MAX_DATAGRAM_BYTES } from '../limits.ts';
import { openAead, sealAead } from './aead.ts';
import { ByteReader } from './bytes.ts';
import { type DirectionKeys, packetNonce } from './key-schedule.ts';
import { HEADER_BYTES, SESSION_ID_BYTES, V2_MAGIC } from './limits.ts';
import {
  PROTECTED_CLOSE_BYTES,
  PROTECTED_DATA_OVERHEAD_BYTES,
  PROTECTED_HEADER_BYTES,
  PROTECTED_OVERHEAD_BYTES,
  PROTECTED_PROBE_BYTES,
  PROTECTED_VERSION,
} from './protected-limits.ts';
import {
  failure,
  PROTECTED_TYPE_CODES,
  type ProtectedFailure,
  type ProtectedType,
} from './protected-packets.ts';
import { requireBytes, requireUint } from './wire-common.ts';

export interface ProtectedHeader {
  readonly type: ProtectedType;
  readonly sessionId: Uint8Array;
  readonly packetNumber: number;
}

export type HeaderRead = { readonly ok: true; readonly header: ProtectedHeader } | ProtectedFailure;

export type PacketOpened =
  | { readonly ok: true; readonly header: ProtectedHeader; readonly payload: Uint8Array }
  | ProtectedFailure;

const TYPES_BY_CODE: ReadonlyMap<number, ProtectedType> = new Map(
  Object.entries(PROTECTED_TYPE_CODES).map(([name, code]) => [code, name as ProtectedType]),
);

/** Each type's total size: DATA carries frames; the others are exactly their size. */
const SIZES: Readonly<Record<ProtectedType, { readonly min: number; readonly max: number }>> = {
  data: { min: PROTECTED_DATA_OVERHEAD_BYTES, max: MAX_DATAGRAM_BYTES },
  close: { min: PROTECTED_CLOSE_BYTES, max: PROTECTED_CLOSE_BYTES },
  challenge: { min: PROTECTED_PROBE_BYTES, max: PROTECTED_PROBE_BYTES },
  response: { min: PROTECTED_PROBE_BYTES, max: PROTECTED_PROBE_BYTES },
};

/** The header and the ciphertext of `payload`; throws RangeError if the datagram would exceed its size. */
export function sealPacket(header: ProtectedHeader, payload: Uint8Array, keys: DirectionKeys): Uint8Array {
  requireBytes('session id', header.sessionId, SESSION_ID_BYTES);
  requireUint('packet number', header.packetNumber, 32);
  const total = PROTECTED_OVERHEAD_BYTES + payload.byteLength;
  const size = SIZES[header.type];
  if (total < size.min || total > size.max) {
    throw new RangeError(`a protected ${header.type} is ${size.min}-${size.max} bytes, not ${total}`);
  }
  // Written by hand, not with ByteWriter: this runs once per datagram per recipient on the relay.
  const clear = new Uint8Array(PROTECTED_HEADER_BYTES);
  clear[0] = V2_MAGIC;
  clear[1] = PROTECTED_VERSION;
  clear[2] = PROTECTED_TYPE_CODES[header.type];
  clear.set(header.sessionId, HEADER_BYTES);
  const number = header.packetNumber;
  clear[11] = number >>> 24;
  clear[12] = (number >>> 16) & 0xff;
  clear[13] = (number >>> 8) & 0xff;
  clear[14] = number & 0xff;
  return sealAead(keys.key, packetNonce(keys.iv, number), payload, clear, clear);
}

/** The clear header of a protected datagram, checked for version, type and that type's size. */
export function readProtectedHeader(bytes: Uint8Array): HeaderRead {
  if (bytes.byteLength === 0) return failure('short');
  if (bytes[0] !== V2_MAGIC) return failure('magic');
  if (bytes.byteLength < HEADER_BYTES) return failure('short');
  if (bytes[1] !== PROTECTED_VERSION) return failure('version');
  const type = TYPES_BY_CODE.get(bytes[2] ?? 0);
  if (type === undefined) return failure('type');
  const size = SIZES[type];
  if (bytes.byteLength < size.min) return failure('short');
  if (bytes.byteLength > size.max) return failure('length');
  const reader = new ByteReader(bytes.subarray(HEADER_BYTES, PROTECTED_HEADER_BYTES));
  const sessionId = reader.take(SESSION_ID_BYTES);
  return { ok: true, header: { type, sessionId, packetNumber: reader.u32() } };
}

/** The header and the decrypted payload, or why the datagram is dropped. Never throws. */
export function openPacket(bytes: Uint8Array, keys: DirectionKeys): PacketOpened {
  const read = readProtectedHeader(bytes);
  if (!read.ok) return read;
  const nonce = packetNonce(keys.iv, read.header.packetNumber);
  const header = bytes.subarray(0, PROTECTED_HEADER_BYTES);
  const payload = openAead(keys.key, nonce, bytes.subarray(PROTECTED_HEADER_BYTES), header);
  if (payload === null) return failure('auth');
  return { ok: true, header: read.header, payload };
}
