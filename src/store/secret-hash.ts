/**
 * Account secrets at rest: hashed with scrypt (RFC 7914) when an account is written, verified when a client
 * logs in. The async `crypto.scrypt` runs on libuv's thread pool, so a check costs the event loop nothing.
 */
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import type { StoredCredential } from '../relay/accounts.ts';
/** 2^14, 8, 1: the RFC 7914 section 2 interactive-login parameters (about 16 MiB and 50 ms per check). */
export const SCRYPT_N = 16_384;
export const SCRYPT_R = 8;
export const SCRYPT_P = 1;
export const SCRYPT_KEY_BYTES = 32;
export const SCRYPT_SALT_BYTES = 16;

export type VerifySecret = (secret: string, credential: StoredCredential) => Promise<boolean>;

/** A fresh credential for `secret`, with its own random salt. */
export async function hashSecret(secret: string): Promise<StoredCredential> {
  const salt = randomBytes(SCRYPT_SALT_BYTES);
  const options = { N: SCRYPT_N, r: SCRYPT_R, p: SCRYPT_P };
  const hash = await derive(secret, salt, SCRYPT_KEY_BYTES, options);
  return {
    algorithm: 'scrypt',
    salt: salt.toString('base64'),
    hash: hash.toString('base64'),
    ...options,
  };
}

/**
 * True when `secret` matches. Never throws: a credential scrypt rejects (the file loader should have
 * refused it already) is a failed login, not a crashed relay.
 */
export async function verifySecret(secret: string, credential: StoredCredential): Promise<boolean> {
  try {
    const expected = Buffer.from(credential.hash, 'base64');
    const salt = Buffer.from(credential.salt, 'base64');
    const { N, r, p } = credential;
    if (expected.length === 0 || salt.length === 0 || ![N, r, p].every(isPositiveInteger)) return false;
    const actual = await derive(secret, salt, expected.length, { N, r, p });
    // Constant time, so the answer's timing says nothing about how much of the hash matched.
    return timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}

/** Node's scrypt quietly replaces a 0 (or other falsy) N, r or p by its default: refuse them first. */
function isPositiveInteger(value: number): boolean {
  return Number.isInteger(value) && value > 0;
}

/**
 * The secret is NFC-normalised (RFC 8265 section 4.2, OpaqueString) so that "é" typed as one code point
 * or as "e" plus a combining accent is the same secret, whichever terminal typed it.
 */
function derive(secret: string, salt: Buffer, keyBytes: number, options: ScryptOptions): Promise<Buffer> {
  const { N = SCRYPT_N, r = SCRYPT_R, p = SCRYPT_P } = options;
  // OpenSSL needs about 128 * r * (N + p + 2) bytes and refuses more than maxmem (32 MiB by default).
  const maxmem = 256 * N * r * p;
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize('NFC'), salt, keyBytes, { N, r, p, maxmem }, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}
