/**
 * Room keys for end-to-end passphrase rooms (docs/PROTOCOL-v2.md, "Room key"):
 *
 *   K      = scrypt(NFC(passphrase), salt, N = 2^15, r = 8, p = 1, 32 bytes)           (RFC 7914)
 *   salt   = UTF-8("udpchat e2e room v1 " ‖ lower(NFKC(room)))       for a room such as "#rust"
 *          = UTF-8("udpchat lan group v1 " ‖ group address)          for a LAN multicast group
 *   key id = HMAC-SHA256(K, "udpchat e2e key id v1")[0..4]
 *   line key = HMAC-SHA256(K, "udpchat e2e line key v1")
 *
 * NFC makes a passphrase typed on two keyboards the same bytes; the room name is NFKC-folded and lowercased
 * because the relay already treats `#Rust` and `#ｒｕｓｔ` as `#rust`, so every member derives one key.
 * The key id is public: it lets a member tell "another passphrase" from "forged", and it gives a guesser
 * nothing the ciphertext does not (each guess still costs one scrypt).
 */
import { createHmac, scrypt } from 'node:crypto';
import {
  ROOM_KEY_BYTES,
  ROOM_KEY_ID_BYTES,
  ROOM_SCRYPT_MAXMEM,
  ROOM_SCRYPT_N,
  ROOM_SCRYPT_P,
  ROOM_SCRYPT_R,
} from './room-limits.ts';
import { type AeadKey, aeadKey } from './v2/aead.ts';

export const ROOM_SALT_PREFIX = 'udpchat e2e room v1 ';
export const LAN_GROUP_SALT_PREFIX = 'udpchat lan group v1 ';
export const KEY_ID_LABEL = 'udpchat e2e key id v1';
export const LINE_KEY_LABEL = 'udpchat e2e line key v1';
const encoder = new TextEncoder();

/** A room name as keys and associated data use it: NFKC, then Unicode default lowercase. */
export function normaliseRoomName(room: string): string {
  return room.normalize('NFKC').toLowerCase();
}

export function roomKeySalt(room: string): Uint8Array {
  return encoder.encode(ROOM_SALT_PREFIX + normaliseRoomName(room));
}

export function lanGroupSalt(groupAddress: string): Uint8Array {
  return encoder.encode(LAN_GROUP_SALT_PREFIX + groupAddress);
}

/** K from a passphrase and a salt, off the event loop (scrypt runs on the thread pool). */
export function passphraseKey(passphrase: string, salt: Uint8Array): Promise<Uint8Array> {
  if (passphrase.length === 0) return Promise.reject(new RangeError('a passphrase cannot be empty'));
  const options = { N: ROOM_SCRYPT_N, r: ROOM_SCRYPT_R, p: ROOM_SCRYPT_P, maxmem: ROOM_SCRYPT_MAXMEM };
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, ROOM_KEY_BYTES, options, (error, key) => {
      if (error === null) resolve(new Uint8Array(key));
      else reject(error);
    });
  });
}

/** A room's key: its public id and the AEAD key lines are sealed with. K itself is not kept. */
export class RoomKey {
  readonly keyId: Uint8Array;
  readonly lineKey: AeadKey;

  private constructor(keyId: Uint8Array, lineKey: AeadKey) {
    this.keyId = keyId;
    this.lineKey = lineKey;
  }

  /** From K, the 32-byte scrypt output. */
  static fromSecret(secret: Uint8Array): RoomKey {
    if (secret.byteLength !== ROOM_KEY_BYTES) throw new RangeError(`a room key is ${ROOM_KEY_BYTES} bytes`);
    const hmac = (label: string): Uint8Array =>
      new Uint8Array(createHmac('sha256', secret).update(label).digest());
    return new RoomKey(hmac(KEY_ID_LABEL).slice(0, ROOM_KEY_ID_BYTES), aeadKey(hmac(LINE_KEY_LABEL)));
  }
}

/** The key `/key #room <passphrase>` gives. */
export async function deriveRoomKey(passphrase: string, room: string): Promise<RoomKey> {
  return RoomKey.fromSecret(await passphraseKey(passphrase, roomKeySalt(room)));
}
