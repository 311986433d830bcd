/**
 * The message id: (sender id, sequence number), 12 bytes, which is also the datagram's AEAD nonce. A sender
 * never reuses a sequence number under one sender id, so the id names exactly one datagram, and a
 * dual-path client sends a line's relay copy under the same id: a receiver that sees both shows the first.
 */
import { AEAD_NONCE_BYTES, SENDER_ID_BYTES } from './limits.ts';

export interface MessageId {
  /** The sender id as 16 lower-case hex digits. */
  readonly senderId: string;
  readonly sequence: number;
}

/** Lower-case hex of a sender id: the map key for a sender, and what events name it by. */
export function senderIdHex(senderId: Uint8Array): string {
  return Buffer.from(senderId.buffer, senderId.byteOffset, senderId.byteLength).toString('hex');
}

/** 24 hex digits: the sender id then the sequence as 8 hex digits, for logs and for the relay copy. */
export function messageIdText(id: MessageId): string {
  return `${id.senderId}${id.sequence.toString(16).padStart(8, '0')}`;
}

/** sender id (8) || sequence (u32 big-endian): RFC 8439's 96-bit nonce, unique per message. */
export function messageNonce(senderId: Uint8Array, sequence: number): Uint8Array {
  const nonce = new Uint8Array(AEAD_NONCE_BYTES);
  nonce.set(senderId.subarray(0, SENDER_ID_BYTES), 0);
  new DataView(nonce.buffer).setUint32(SENDER_ID_BYTES, sequence);
  return nonce;
}
