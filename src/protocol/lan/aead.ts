/**
 * AEAD_CHACHA20_POLY1305 (RFC 8439 section 2.8) over node:crypto: a 256-bit key, a 96-bit nonce, a 128-bit
 * tag appended to the ciphertext. `open` answers null for anything that does not authenticate and never
 * throws, so hostile bytes cannot crash a receiver.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { AEAD_NONCE_BYTES, AEAD_TAG_BYTES, GROUP_KEY_BYTES } from './limits.ts';

const CIPHER = 'chacha20-poly1305';

/** ciphertext || tag. Wrong key or nonce sizes are wiring bugs, so they throw. */
export function sealAead(
  key: Uint8Array,
  nonce: Uint8Array,
  associatedData: Uint8Array,
  plaintext: Uint8Array,
): Uint8Array {
  checkSizes(key, nonce);
  const cipher = createCipheriv(CIPHER, key, nonce, { authTagLength: AEAD_TAG_BYTES });
  cipher.setAAD(associatedData, { plaintextLength: plaintext.byteLength });
  const head = cipher.update(plaintext);
  const tail = cipher.final();
  const sealed = new Uint8Array(head.byteLength + tail.byteLength + AEAD_TAG_BYTES);
  sealed.set(head, 0);
  sealed.set(tail, head.byteLength);
  sealed.set(cipher.getAuthTag(), head.byteLength + tail.byteLength);
  return sealed;
}

/** The plaintext, or null when the tag does not verify (or `sealed` is shorter than a tag). */
export function openAead(
  key: Uint8Array,
  nonce: Uint8Array,
  associatedData: Uint8Array,
  sealed: Uint8Array,
): Uint8Array | null {
  checkSizes(key, nonce);
  if (sealed.byteLength < AEAD_TAG_BYTES) return null;
  const ciphertextBytes = sealed.byteLength - AEAD_TAG_BYTES;
  try {
    const decipher = createDecipheriv(CIPHER, key, nonce, { authTagLength: AEAD_TAG_BYTES });
    decipher.setAAD(associatedData, { plaintextLength: ciphertextBytes });
    decipher.setAuthTag(sealed.subarray(ciphertextBytes));
    const head = decipher.update(sealed.subarray(0, ciphertextBytes));
    // final() is where the tag is checked; it throws when it does not match.
    const tail = decipher.final();
    const plaintext = new Uint8Array(head.byteLength + tail.byteLength);
    plaintext.set(head, 0);
    plaintext.set(tail, head.byteLength);
    return plaintext;
  } catch {
    return null;
  }
}

function checkSizes(key: Uint8Array, nonce: Uint8Array): void {
  if (key.byteLength !== GROUP_KEY_BYTES)
    throw new RangeError(`a ChaCha20-Poly1305 key is ${GROUP_KEY_BYTES} bytes`);
  if (nonce.byteLength !== AEAD_NONCE_BYTES)
    throw new RangeError(`a ChaCha20-Poly1305 nonce is ${AEAD_NONCE_BYTES} bytes`);
}
