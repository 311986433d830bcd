/**
 * X25519 (RFC 7748) for the protected handshake: ephemeral secrets from 32 injected bytes, the shared
 * secret, and the cheap screen for small-order public keys that the relay applies before it mints a cookie
 * (docs/PROTOCOL-v2.md, "HELLO").
 *
 * Keys are imported as JWK: on this Node (OpenSSL 3) a PKCS#8 DER import, as keys.ts does, costs about
 * 490 us, a JWK import about 40 us, and a DER public-key import or export about 90 us against 1-6 us for
 * JWK. With JWK the relay's whole handshake costs about a quarter of what it would (see the spec's figures).
 * Node reads only `d` from a private OKP JWK (it still wants a string `x`); the public key is then derived.
 */
import { createPrivateKey, createPublicKey, diffieHellman, type KeyObject } from 'node:crypto';
import { drawRandom, type RandomSource } from './crypto.ts';
import { PRIVATE_KEY_BYTES, PUBLIC_KEY_BYTES } from './limits.ts';

/**
 * The u-coordinates whose X25519 output is zero for every private key (the small-order points and their
 * non-canonical encodings: 0, 1, the two points of order 8, p-1, p, p+1), as libsodium lists them. The
 * top bit is ignored (RFC 7748 §5 masks it), so each stands for two encodings.
 */
const SMALL_ORDER_POINTS: readonly Uint8Array[] = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].map((text) => new Uint8Array(Buffer.from(text, 'hex')));

const TOP_BYTE_MASK = 0x7f;

/**
 * True when `publicKey` is one of the points that give the all-zero secret whatever the private key (so a
 * session keyed by it would have a secret everyone knows). A comparison, not a Diffie-Hellman: the relay
 * can afford it for every HELLO, validated or not.
 */
export function isSmallOrderPoint(publicKey: Uint8Array): boolean {
  if (publicKey.byteLength !== PUBLIC_KEY_BYTES) return false;
  return SMALL_ORDER_POINTS.some((point) =>
    point.every(
      (byte, index) => byte === (index === 31 ? (publicKey[index] ?? 0) & TOP_BYTE_MASK : publicKey[index]),
    ),
  );
}

export type AgreeResult =
  | { readonly ok: true; readonly secret: Uint8Array }
  /** `key`: not 32 bytes; `small-order`: the peer's point gives the all-zero secret (RFC 7748 §6.1). */
  | { readonly ok: false; readonly reason: 'key' | 'small-order' };

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

function publicKeyObject(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: base64url(raw) }, format: 'jwk' });
}

/** One side's ephemeral X25519 secret. The private key stays inside; only the public key is readable. */
export class X25519Secret {
  readonly publicKey: Uint8Array;
  readonly #privateKey: KeyObject;

  private constructor(privateKey: KeyObject) {
    this.#privateKey = privateKey;
    const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
    this.publicKey = new Uint8Array(Buffer.from(jwk.x ?? '', 'base64url'));
  }

  /** From 32 raw private bytes (RFC 7748 §5; clamping happens inside X25519). */
  static fromPrivate(raw: Uint8Array): X25519Secret {
    if (raw.byteLength !== PRIVATE_KEY_BYTES) throw new RangeError('an X25519 private key is 32 bytes');
    const jwk = { kty: 'OKP', crv: 'X25519', d: base64url(raw), x: '' };
    return new X25519Secret(createPrivateKey({ key: jwk, format: 'jwk' }));
  }

  /** A fresh secret from injected randomness (deterministic for a deterministic source). */
  static generate(random: RandomSource): X25519Secret {
    return X25519Secret.fromPrivate(drawRandom(random, PRIVATE_KEY_BYTES));
  }

  /**
   * The shared secret with `peerPublic`. The all-zero result is refused as a value (RFC 7748 §6.1 lets
   * the check be skipped; skipping it would let a peer force a known secret); OpenSSL also fails that
   * derivation itself, and either way the answer is `small-order`.
   */
  agree(peerPublic: Uint8Array): AgreeResult {
    if (peerPublic.byteLength !== PUBLIC_KEY_BYTES) return { ok: false, reason: 'key' };
    if (isSmallOrderPoint(peerPublic)) return { ok: false, reason: 'small-order' };
    let secret: Uint8Array;
    try {
      secret = new Uint8Array(
        diffieHellman({ privateKey: this.#privateKey, publicKey: publicKeyObject(peerPublic) }),
      );
    } catch {
      return { ok: false, reason: 'small-order' };
    }
    if (secret.every((byte) => byte === 0)) return { ok: false, reason: 'small-order' };
    return { ok: true, secret };
  }
}
