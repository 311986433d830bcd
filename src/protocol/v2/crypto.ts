/**
 * The two primitives every v2 module shares: injected randomness and the 16-byte datagram tag.
 * docs/PROTOCOL-v2.md "Keys and tags": HMAC-SHA256 over all the bytes before the tag, truncated to 16 bytes
 * (truncation as RFC 2104 §5 allows; 128 bits is what RFC 4868 keeps for HMAC-SHA-256 in IPsec).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { TAG_BYTES } from './limits.ts';

/**
 * Randomness is injected so tests and simulations are deterministic; bindings pass `systemRandom`
 * (src/transport/system-random.ts), the only source that reads the operating system's.
 */
export type RandomSource = (bytes: number) => Uint8Array;

/** Draws exactly `count` bytes; a source that returns another length is a wiring bug, so it throws. */
export function drawRandom(random: RandomSource, count: number): Uint8Array {
  const bytes = random(count);
  if (bytes.byteLength !== count) {
    throw new RangeError(`random source returned ${bytes.byteLength} bytes, ${count} were asked for`);
  }
  return new Uint8Array(bytes);
}

/** The tag of `data` under `key`: HMAC-SHA256 truncated to TAG_BYTES. */
export function computeTag(key: Uint8Array, data: Uint8Array): Uint8Array {
  const digest = createHmac('sha256', key).update(data).digest();
  return new Uint8Array(digest.subarray(0, TAG_BYTES));
}

/** Whether `tag` is the tag of `data`; compared in constant time so a forger learns nothing from timing. */
export function tagMatches(key: Uint8Array, data: Uint8Array, tag: Uint8Array): boolean {
  if (tag.byteLength !== TAG_BYTES) return false;
  return timingSafeEqual(computeTag(key, data), tag);
}
