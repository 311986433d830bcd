/**
 * The clear header every LAN datagram starts with: magic, version, flags, sender id, sequence. It is the
 * AEAD's associated data, so with a group key it is authenticated though not hidden (a receiver needs the
 * sender id and sequence to build the nonce before it can open anything).
 */
import type { LanHeader } from './datagram.ts';
import {
  FLAG_SEALED,
  HEADER_BYTES,
  LAN_MAGIC,
  LAN_VERSION,
  MAX_LAN_DATAGRAM_BYTES,
  MAX_SEQUENCE,
  SENDER_ID_BYTES,
} from './limits.ts';

const SENDER_ID_OFFSET = 3;
const SEQUENCE_OFFSET = SENDER_ID_OFFSET + SENDER_ID_BYTES;

export type HeaderResult =
  | { readonly ok: true; readonly header: LanHeader }
  | { readonly ok: false; readonly error: 'too-large' | 'truncated' | 'not-lan' | 'version' | 'flags' };

/** True when the datagram claims to be a LAN datagram (its first byte); it may still fail to decode. */
export function isLan(bytes: Uint8Array): boolean {
  return bytes.byteLength > 0 && bytes[0] === LAN_MAGIC;
}

export function readHeader(bytes: Uint8Array): HeaderResult {
  if (bytes.byteLength > MAX_LAN_DATAGRAM_BYTES) return { ok: false, error: 'too-large' };
  if (!isLan(bytes)) return { ok: false, error: 'not-lan' };
  if (bytes.byteLength < HEADER_BYTES) return { ok: false, error: 'truncated' };
  if (bytes[1] !== LAN_VERSION) return { ok: false, error: 'version' };
  const flags = bytes[2] ?? 0;
  if ((flags & ~FLAG_SEALED) !== 0) return { ok: false, error: 'flags' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const senderId = new Uint8Array(bytes.subarray(SENDER_ID_OFFSET, SEQUENCE_OFFSET));
  const sequence = view.getUint32(SEQUENCE_OFFSET);
  return { ok: true, header: { sealed: (flags & FLAG_SEALED) !== 0, senderId, sequence } };
}

/** The header's HEADER_BYTES; the caller has checked the sender id's size and the sequence's range. */
export function writeHeader(header: LanHeader): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES);
  bytes[0] = LAN_MAGIC;
  bytes[1] = LAN_VERSION;
  bytes[2] = header.sealed ? FLAG_SEALED : 0;
  bytes.set(header.senderId, SENDER_ID_OFFSET);
  new DataView(bytes.buffer).setUint32(SEQUENCE_OFFSET, header.sequence);
  return bytes;
}

/** Whether a header can be written: an 8-byte sender id and a u32 sequence. */
export function headerProblem(header: LanHeader): 'sender-id' | 'sequence' | null {
  if (header.senderId.byteLength !== SENDER_ID_BYTES) return 'sender-id';
  if (!Number.isInteger(header.sequence) || header.sequence < 0 || header.sequence > MAX_SEQUENCE)
    return 'sequence';
  return null;
}
