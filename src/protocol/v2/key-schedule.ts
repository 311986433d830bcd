/**
 * The protected session's keys (docs/PROTOCOL-v2.md, "Key schedule"), after TLS 1.3 (RFC 8446 §7) and
 * QUIC (RFC 9001 §5): one extract from the ephemeral X25519 secret salted with the transcript hash, then
 * one expand per key, each under its own label.
 *
 *   PRK    = HKDF-Extract(salt = th, IKM = X25519 shared secret)
 *   key/iv = HKDF-Expand(PRK, label, 32 or 12) for "udpchat wire3 c2r key", "… c2r iv", "… r2c key",
 *            "… r2c iv", and "udpchat wire3 accept" (the ACCEPT's sealed parameters)
 *
 * A packet's nonce is its direction's iv XOR the packet number, big-endian, right-aligned in 12 bytes
 * (RFC 8446 §5.3): distinct for every number, so a sender that never reuses a number never reuses a nonce.
 * Separate keys per direction mean a datagram reflected to its sender never opens.
 */
import { type AeadKey, aeadKey } from './aead.ts';
import { hkdfExpand, hkdfExtract } from './hkdf.ts';
import { AEAD_KEY_BYTES, AEAD_NONCE_BYTES, MAX_PACKET_NUMBER } from './protected-limits.ts';

export const KEY_LABELS = {
  clientToRelayKey: 'udpchat wire3 c2r key',
  clientToRelayIv: 'udpchat wire3 c2r iv',
  relayToClientKey: 'udpchat wire3 r2c key',
  relayToClientIv: 'udpchat wire3 r2c iv',
  accept: 'udpchat wire3 accept',
} as const;

const SECRET_BYTES = 32;

/** One direction's AEAD key and the iv its nonces are made from. */
export interface DirectionKeys {
  readonly key: AeadKey;
  readonly iv: Uint8Array;
}

export interface SessionSecrets {
  readonly clientToRelay: DirectionKeys;
  readonly relayToClient: DirectionKeys;
  /** Seals the ACCEPT's parameters, once, under the all-zero nonce. */
  readonly accept: AeadKey;
}

/** Every key of a session from the X25519 secret and the transcript hash (both 32 bytes). */
export function deriveSessionSecrets(shared: Uint8Array, transcriptHash: Uint8Array): SessionSecrets {
  if (shared.byteLength !== SECRET_BYTES || transcriptHash.byteLength !== SECRET_BYTES) {
    throw new RangeError('the key schedule takes a 32-byte shared secret and a 32-byte transcript hash');
  }
  const prk = hkdfExtract(transcriptHash, shared);
  const key = (label: string): AeadKey => aeadKey(hkdfExpand(prk, label, AEAD_KEY_BYTES));
  const iv = (label: string): Uint8Array => hkdfExpand(prk, label, AEAD_NONCE_BYTES);
  return {
    clientToRelay: { key: key(KEY_LABELS.clientToRelayKey), iv: iv(KEY_LABELS.clientToRelayIv) },
    relayToClient: { key: key(KEY_LABELS.relayToClientKey), iv: iv(KEY_LABELS.relayToClientIv) },
    accept: key(KEY_LABELS.accept),
  };
}

/** The nonce of packet `packetNumber` (a u32) in the direction whose iv is `iv`. */
export function packetNonce(iv: Uint8Array, packetNumber: number): Uint8Array {
  if (iv.byteLength !== AEAD_NONCE_BYTES) throw new RangeError(`an iv is ${AEAD_NONCE_BYTES} bytes`);
  if (!Number.isInteger(packetNumber) || packetNumber < 0 || packetNumber > MAX_PACKET_NUMBER) {
    throw new RangeError(`a packet number is a u32, not ${packetNumber}`);
  }
  const nonce = new Uint8Array(iv);
  for (let byte = 0; byte < 4; byte++) {
    const at = AEAD_NONCE_BYTES - 1 - byte;
    nonce[at] = (nonce[at] ?? 0) ^ ((packetNumber >>> (8 * byte)) & 0xff);
  }
  return nonce;
}
