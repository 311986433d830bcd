/**
 * --group-key PASSPHRASE: everyone in a group who knows the passphrase derives the same 32-byte key, and
 * only they can read or forge the group's datagrams. The group's address is part of the salt, so one
 * passphrase gives each group its own key (a datagram of one group never authenticates in another).
 *
 * key = scrypt(NFC(passphrase), UTF-8("udpchat lan group v1 " + "ADDR:PORT"), N = 2^15, r = 8, p = 1, 32)
 * (RFC 7914). The passphrase is NFC-normalised as an OpaqueString (RFC 8265 section 4.2), so "é" typed as
 * one code point or as "e" plus a combining accent is the same passphrase.
 */
import { scrypt } from 'node:crypto';
import { type Address, addressKey } from '../address.ts';
import {
  GROUP_KEY_BYTES,
  GROUP_KEY_SALT_PREFIX,
  GROUP_KEY_SCRYPT_N,
  GROUP_KEY_SCRYPT_P,
  GROUP_KEY_SCRYPT_R,
} from './limits.ts';

/** node:util's inspect.custom, by its registered name (a pure module imports nothing to print safely). */
const INSPECT: unique symbol = Symbol.for('nodejs.util.inspect.custom');

/** The derived key. It prints as `GroupKey {}` so a log line or an error can never show it. */
export class GroupKey {
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    if (bytes.byteLength !== GROUP_KEY_BYTES) throw new RangeError(`a group key is ${GROUP_KEY_BYTES} bytes`);
    this.#bytes = new Uint8Array(bytes);
  }

  /** The raw key, for the AEAD only. */
  get bytes(): Uint8Array {
    return this.#bytes;
  }

  toJSON(): string {
    return 'GroupKey';
  }

  [INSPECT](): string {
    return 'GroupKey {}';
  }
}

/** UTF-8("udpchat lan group v1 " + "ADDR:PORT"); the address as addressKey spells it ("239.255.0.1:9999"). */
export function groupKeySalt(group: Address): Uint8Array {
  return new TextEncoder().encode(`${GROUP_KEY_SALT_PREFIX}${addressKey(group)}`);
}

/**
 * Derives the group key on libuv's thread pool (about a tenth of a second: a binding does it once, before
 * it starts the peer). An empty passphrase is refused: it would be a key everyone has.
 */
export function deriveGroupKey(passphrase: string, group: Address): Promise<GroupKey> {
  if (passphrase.length === 0)
    return Promise.reject(new RangeError('a group key passphrase cannot be empty'));
  const N = GROUP_KEY_SCRYPT_N;
  const r = GROUP_KEY_SCRYPT_R;
  const p = GROUP_KEY_SCRYPT_P;
  // OpenSSL needs about 128 * N * r * p bytes (32 MiB here), which is exactly node's default maxmem.
  const maxmem = 256 * N * r * p;
  return new Promise((resolve, reject) => {
    scrypt(
      passphrase.normalize('NFC'),
      groupKeySalt(group),
      GROUP_KEY_BYTES,
      { N, r, p, maxmem },
      (error, key) => {
        if (error) reject(error);
        else resolve(new GroupKey(new Uint8Array(key)));
      },
    );
  });
}
