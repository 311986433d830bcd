/**
 * The relay's long-term identity (docs/PROTOCOL-v2.md, "Relay identity"): an Ed25519 key pair (RFC 8032)
 * kept in the relay's identity file, and the proof it gives in every ACCEPT, a signature over the
 * handshake transcript's hash (as TLS 1.3's CertificateVerify signs its transcript, RFC 8446 §4.4.3).
 *
 *   proof = Ed25519-Sign(identity, "udpchat wire3 relay proof" ‖ SHA-256(transcript))
 *
 * Ed25519 signatures are deterministic, so a fixed seed gives the spec's test vectors byte for byte. The
 * private key is held as a KeyObject that never prints; the seed itself is never kept.
 * The identity also yields the relay's stateless-reset key (reset-token.ts): it must survive a restart,
 * as the identity does, and only the relay may know it.
 */
import {
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { drawRandom, type RandomSource } from './crypto.ts';
import { hkdfExpand, hkdfExtract } from './hkdf.ts';
import { IDENTITY_KEY_BYTES, IDENTITY_SEED_BYTES, PROOF_BYTES } from './protected-limits.ts';

export const PROOF_LABEL = 'udpchat wire3 relay proof';
export const RESET_KEY_LABEL = 'udpchat wire3 reset key';
const TRANSCRIPT_HASH_BYTES = 32;
const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** The bytes the proof signs: the label, then the transcript hash. */
export function proofMessage(transcriptHash: Uint8Array): Uint8Array {
  if (transcriptHash.byteLength !== TRANSCRIPT_HASH_BYTES) {
    throw new RangeError('the proof signs a 32-byte transcript hash');
  }
  const label = encoder.encode(PROOF_LABEL);
  const message = new Uint8Array(label.byteLength + TRANSCRIPT_HASH_BYTES);
  message.set(label, 0);
  message.set(transcriptHash, label.byteLength);
  return message;
}

export class RelayIdentity {
  /** The raw 32-byte Ed25519 public key: what ACCEPT carries and the fingerprint hashes. */
  readonly publicKey: Uint8Array;
  /** HKDF-Expand(HKDF-Extract("", seed), "udpchat wire3 reset key", 32): the reset tokens' HMAC key. */
  readonly resetKey: KeyObject;
  readonly #privateKey: KeyObject;

  private constructor(privateKey: KeyObject, seed: Uint8Array) {
    this.#privateKey = privateKey;
    const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
    this.publicKey = new Uint8Array(Buffer.from(jwk.x ?? '', 'base64url'));
    this.resetKey = createSecretKey(hkdfExpand(hkdfExtract(new Uint8Array(0), seed), RESET_KEY_LABEL, 32));
  }

  /** From the 32-byte seed RFC 8032 §5.1.5 calls the private key. */
  static fromSeed(seed: Uint8Array): RelayIdentity {
    if (seed.byteLength !== IDENTITY_SEED_BYTES) throw new RangeError('an Ed25519 seed is 32 bytes');
    const key = createPrivateKey({
      key: { kty: 'OKP', crv: 'Ed25519', d: base64url(seed), x: '' },
      format: 'jwk',
    });
    return new RelayIdentity(key, seed);
  }

  /** A new identity from injected randomness (a relay's first start; bindings pass systemRandom). */
  static generate(random: RandomSource): RelayIdentity {
    return RelayIdentity.fromSeed(drawRandom(random, IDENTITY_SEED_BYTES));
  }

  /**
   * From the identity file's text: a PKCS#8 PEM Ed25519 private key (RFC 8410), as `toPem` writes it and
   * `openssl genpkey -algorithm ed25519` makes it. Null for anything else, so the caller names the file.
   */
  static fromPem(pem: string): RelayIdentity | null {
    try {
      const key = createPrivateKey({ key: pem, format: 'pem' });
      if (key.asymmetricKeyType !== 'ed25519') return null;
      const seed = Buffer.from(key.export({ format: 'jwk' }).d ?? '', 'base64url');
      return seed.byteLength === IDENTITY_SEED_BYTES ? new RelayIdentity(key, new Uint8Array(seed)) : null;
    } catch {
      return null;
    }
  }

  /** The identity file's content (the binding writes it with mode 0600). */
  toPem(): string {
    return this.#privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  }

  /** The proof for one handshake: 64 bytes. */
  prove(transcriptHash: Uint8Array): Uint8Array {
    return new Uint8Array(sign(null, proofMessage(transcriptHash), this.#privateKey));
  }
}

/**
 * Whether `proof` is the relay `identityKey`'s signature over `transcriptHash`. Never throws: a key that
 * is not a valid Ed25519 point, or a proof of the wrong size, is simply false.
 */
export function verifyProof(identityKey: Uint8Array, transcriptHash: Uint8Array, proof: Uint8Array): boolean {
  if (identityKey.byteLength !== IDENTITY_KEY_BYTES || proof.byteLength !== PROOF_BYTES) return false;
  if (transcriptHash.byteLength !== TRANSCRIPT_HASH_BYTES) return false;
  try {
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: base64url(identityKey) },
      format: 'jwk',
    });
    return verify(null, proofMessage(transcriptHash), key, proof);
  } catch {
    return false;
  }
}
