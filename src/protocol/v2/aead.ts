/**
 * The AEAD every protected-v2 datagram and every end-to-end room line uses: ChaCha20-Poly1305 (RFC 8439
 * §2.8) from node:crypto, with a 16-byte tag appended to the ciphertext. docs/PROTOCOL-v2.md, "Rationale",
 * says why it was chosen over AES-256-GCM.
 *
 * Keys are node:crypto KeyObjects: they never print their bytes (a logged or traced object shows
 * `SecretKeyObject { type: 'secret', symmetricKeySize: 32 }`), so a key cannot leak through a log line.
 * `openAead` never throws on what the network sends: a short, altered or forged input is `null`.
 */
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto';
import { AEAD_KEY_BYTES, AEAD_NONCE_BYTES, AEAD_TAG_BYTES } from './protected-limits.ts';

export const AEAD_ALGORITHM = 'chacha20-poly1305';
const EMPTY = new Uint8Array(0);

/** A 256-bit AEAD key, held so that it never prints. */
export type AeadKey = KeyObject;

/** Wraps 32 raw bytes as a key; any other length is a caller's bug. */
export function aeadKey(raw: Uint8Array): AeadKey {
  if (raw.byteLength !== AEAD_KEY_BYTES) throw new RangeError(`an AEAD key is ${AEAD_KEY_BYTES} bytes`);
  return createSecretKey(raw);
}

function requireNonce(nonce: Uint8Array): void {
  if (nonce.byteLength !== AEAD_NONCE_BYTES)
    throw new RangeError(`an AEAD nonce is ${AEAD_NONCE_BYTES} bytes`);
}

/** A plain Uint8Array over a Buffer's bytes (no copy), so callers never see Buffer's extra methods. */
function view(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * ciphertext ‖ tag of `plaintext` under `key` and `nonce`, authenticating `associatedData` too, with
 * `prefix` (a packet header, which is also the associated data) written in front in the same allocation.
 */
export function sealAead(
  key: AeadKey,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  associatedData: Uint8Array,
  prefix: Uint8Array = EMPTY,
): Uint8Array {
  requireNonce(nonce);
  const cipher = createCipheriv(AEAD_ALGORITHM, key, nonce, { authTagLength: AEAD_TAG_BYTES });
  cipher.setAAD(associatedData, { plaintextLength: plaintext.byteLength });
  const head = cipher.update(plaintext);
  const tail = cipher.final();
  return view(Buffer.concat([prefix, head, tail, cipher.getAuthTag()]));
}

/**
 * The plaintext of `sealed` (ciphertext ‖ tag), or null when it is shorter than a tag or does not
 * authenticate under `key`, `nonce` and `associatedData`. Nothing of a failed input is returned.
 */
export function openAead(
  key: AeadKey,
  nonce: Uint8Array,
  sealed: Uint8Array,
  associatedData: Uint8Array,
): Uint8Array | null {
  requireNonce(nonce);
  if (sealed.byteLength < AEAD_TAG_BYTES) return null;
  const tagAt = sealed.byteLength - AEAD_TAG_BYTES;
  try {
    const decipher = createDecipheriv(AEAD_ALGORITHM, key, nonce, { authTagLength: AEAD_TAG_BYTES });
    decipher.setAAD(associatedData, { plaintextLength: tagAt });
    decipher.setAuthTag(sealed.subarray(tagAt));
    const head = decipher.update(sealed.subarray(0, tagAt));
    // final() throws when the tag does not verify: that is the forgery case, answered with null.
    const tail = decipher.final();
    return view(tail.byteLength === 0 ? head : Buffer.concat([head, tail]));
  } catch {
    return null;
  }
}
