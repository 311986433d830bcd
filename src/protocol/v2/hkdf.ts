/**
 * HKDF-SHA256 (RFC 5869) in its two steps, so the key schedule extracts once and expands once per label
 * (docs/PROTOCOL-v2.md, "Key schedule"). node:crypto's hkdfSync runs both steps for every output and
 * costs about 11 us a call here; one HMAC per step costs about 2 us, and the handshake makes six.
 */
import { createHmac } from 'node:crypto';

const HASH_BYTES = 32;
const MAX_OUTPUT_BYTES = 255 * HASH_BYTES;
const encoder = new TextEncoder();

/** RFC 5869 §2.2: PRK = HMAC-SHA256(salt, IKM); an empty salt stands for 32 zero bytes. */
export function hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  const key = salt.byteLength === 0 ? new Uint8Array(HASH_BYTES) : salt;
  return new Uint8Array(createHmac('sha256', key).update(ikm).digest());
}

/** RFC 5869 §2.3: the first `length` bytes of T(1) ‖ T(2) ‖ …, T(i) = HMAC(PRK, T(i-1) ‖ info ‖ i). */
export function hkdfExpand(prk: Uint8Array, info: Uint8Array | string, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 1 || length > MAX_OUTPUT_BYTES) {
    throw new RangeError(`HKDF-Expand gives 1 to ${MAX_OUTPUT_BYTES} bytes, not ${length}`);
  }
  const infoBytes = typeof info === 'string' ? encoder.encode(info) : info;
  const output = new Uint8Array(length);
  let previous = new Uint8Array(0);
  for (let block = 1, filled = 0; filled < length; block++) {
    const hmac = createHmac('sha256', prk)
      .update(previous)
      .update(infoBytes)
      .update(new Uint8Array([block]));
    previous = new Uint8Array(hmac.digest());
    output.set(previous.subarray(0, Math.min(HASH_BYTES, length - filled)), filled);
    filled += HASH_BYTES;
  }
  return output;
}
