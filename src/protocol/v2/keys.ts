/**
 * The handshake's key agreement (docs/PROTOCOL-v2.md, "Keys and tags"): fresh X25519 key pairs (RFC 7748)
 * and the two per-direction HMAC keys derived with HKDF-SHA256 (RFC 5869).
 *
 * node:crypto's generateKeyPairSync cannot take injected randomness, so a private key is built from 32
 * injected bytes wrapped in the fixed PKCS#8 DER prefix for X25519 (RFC 8410 §7), and a raw public key is
 * read from, or wrapped into, the fixed SPKI DER prefix (RFC 8410 §4).
 */
import { createPrivateKey, createPublicKey, diffieHellman, hkdfSync, type KeyObject } from 'node:crypto';
import { drawRandom, type RandomSource } from './crypto.ts';
import {
  NONCE_BYTES,
  PRIVATE_KEY_BYTES,
  PUBLIC_KEY_BYTES,
  RESET_TOKEN_BYTES,
  SESSION_ID_BYTES,
  SESSION_KEY_BYTES,
} from './limits.ts';

/** SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.110 }, OCTET STRING { OCTET STRING (32) } }. */
const PKCS8_X25519_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
/** SEQUENCE { SEQUENCE { OID 1.3.101.110 }, BIT STRING (0 unused bits, 32 bytes) }. */
const SPKI_X25519_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

/** The HKDF info strings, exactly as the spec spells them. */
export const CLIENT_TO_RELAY_INFO = 'udpchat v2 client->relay';
export const RELAY_TO_CLIENT_INFO = 'udpchat v2 relay->client';
/** The mask that hides the reset token in the ACCEPT (wire version 2 encrypts nothing else). */
export const RESET_MASK_INFO = 'udpchat v2 reset mask';

export interface KeyPair {
  /** 32 raw bytes (RFC 7748 §5; clamping happens inside X25519). */
  readonly privateKey: Uint8Array;
  /** 32 raw bytes, as HELLO and ACCEPT carry them. */
  readonly publicKey: Uint8Array;
}

export interface SessionKeys {
  readonly clientToRelay: Uint8Array;
  readonly relayToClient: Uint8Array;
  /** XORed over the reset token in the ACCEPT, so only the two ends of the key exchange learn the token. */
  readonly resetMask: Uint8Array;
}

export type SharedSecretResult =
  | { readonly ok: true; readonly secret: Uint8Array }
  /** `key`: a raw key of the wrong size; `low-order`: the peer's point gives the all-zero secret. */
  | { readonly ok: false; readonly reason: 'key' | 'low-order' };

function privateKeyObject(raw: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_X25519_PREFIX, raw]), format: 'der', type: 'pkcs8' });
}

function publicKeyObject(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_X25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** The raw public key of a raw private key. */
export function publicKeyOf(privateRaw: Uint8Array): Uint8Array {
  if (privateRaw.byteLength !== PRIVATE_KEY_BYTES) throw new RangeError('an X25519 private key is 32 bytes');
  const spki = createPublicKey(privateKeyObject(privateRaw)).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(SPKI_X25519_PREFIX.byteLength));
}

/** A fresh key pair from 32 injected random bytes (deterministic for a deterministic source). */
export function generateKeyPair(random: RandomSource): KeyPair {
  const privateKey = drawRandom(random, PRIVATE_KEY_BYTES);
  return { privateKey, publicKey: publicKeyOf(privateKey) };
}

/**
 * The X25519 shared secret. An all-zero result means the peer sent a low-order point (RFC 7748 §6.1: the
 * check "MAY" be done; we must, or an attacker could force a known secret): it is refused as a value.
 * OpenSSL already fails that derivation; the explicit zero check keeps the rule independent of it.
 */
export function sharedSecret(myPrivateRaw: Uint8Array, theirPublicRaw: Uint8Array): SharedSecretResult {
  if (myPrivateRaw.byteLength !== PRIVATE_KEY_BYTES || theirPublicRaw.byteLength !== PUBLIC_KEY_BYTES) {
    return { ok: false, reason: 'key' };
  }
  let secret: Uint8Array;
  try {
    const privateKey = privateKeyObject(myPrivateRaw);
    secret = new Uint8Array(diffieHellman({ privateKey, publicKey: publicKeyObject(theirPublicRaw) }));
  } catch {
    return { ok: false, reason: 'low-order' };
  }
  if (secret.every((byte) => byte === 0)) return { ok: false, reason: 'low-order' };
  return { ok: true, secret };
}

/**
 * Both directions' keys: HKDF-SHA256(shared, salt = nonce ‖ session id, info = the direction), 32 bytes
 * each; and the 16-byte reset-token mask, the same HKDF with its own info string.
 */
export function deriveSessionKeys(shared: Uint8Array, nonce: Uint8Array, sessionId: Uint8Array): SessionKeys {
  if (nonce.byteLength !== NONCE_BYTES || sessionId.byteLength !== SESSION_ID_BYTES) {
    throw new RangeError('the HKDF salt is an 8-byte nonce and an 8-byte session id');
  }
  const salt = Buffer.concat([nonce, sessionId]);
  const derive = (info: string, length: number): Uint8Array =>
    new Uint8Array(hkdfSync('sha256', shared, salt, info, length));
  return {
    clientToRelay: derive(CLIENT_TO_RELAY_INFO, SESSION_KEY_BYTES),
    relayToClient: derive(RELAY_TO_CLIENT_INFO, SESSION_KEY_BYTES),
    resetMask: derive(RESET_MASK_INFO, RESET_TOKEN_BYTES),
  };
}
