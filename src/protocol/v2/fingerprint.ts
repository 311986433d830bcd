/**
 * How a relay identity is shown and pinned (docs/PROTOCOL-v2.md, "Fingerprints and pinning"), in OpenSSH's
 * format: `SHA256:` and the unpadded standard base64 of SHA-256 over the key, 50 characters in all.
 * OpenSSH hashes its own key blob; this hashes the raw 32-byte Ed25519 key, so the strings look alike but
 * are not interchangeable with `ssh-keygen -l` output.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { IDENTITY_KEY_BYTES } from './protected-limits.ts';

export const FINGERPRINT_PREFIX = 'SHA256:';
const HASH_BYTES = 32;
/** 32 bytes in base64 without its one `=` of padding. */
const DIGEST_CHARS = 43;
const DIGEST_PATTERN = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]$/;

/** `SHA256:…` of a raw identity key. */
export function fingerprint(identityKey: Uint8Array): string {
  if (identityKey.byteLength !== IDENTITY_KEY_BYTES) throw new RangeError('an identity key is 32 bytes');
  const digest = createHash('sha256').update(identityKey).digest('base64');
  return FINGERPRINT_PREFIX + digest.replace(/=+$/, '');
}

/**
 * The 32-byte hash a fingerprint names, or null when `text` is not exactly one (as typed after
 * `--relay-key` or read from known_relays). The last character must leave the unused low bits zero, so
 * each hash has one spelling only.
 */
export function parseFingerprint(text: string): Uint8Array | null {
  if (!text.startsWith(FINGERPRINT_PREFIX)) return null;
  const digest = text.slice(FINGERPRINT_PREFIX.length);
  if (digest.length !== DIGEST_CHARS || !DIGEST_PATTERN.test(digest)) return null;
  const bytes = Buffer.from(digest, 'base64');
  return bytes.byteLength === HASH_BYTES ? new Uint8Array(bytes) : null;
}

/** Whether `identityKey` is the key `pinned` names. A malformed pin matches nothing. */
export function fingerprintMatches(pinned: string, identityKey: Uint8Array): boolean {
  const expected = parseFingerprint(pinned);
  if (expected === null || identityKey.byteLength !== IDENTITY_KEY_BYTES) return false;
  return timingSafeEqual(expected, createHash('sha256').update(identityKey).digest());
}
