/**
 * Every cost and size of the end-to-end passphrase rooms (docs/PROTOCOL-v2.md, "End-to-end rooms"). They
 * sit beside limits.ts until the client uses them; then the two files become one.
 */

/**
 * scrypt (RFC 7914) cost for a room key: N = 2^15, r = 8, p = 1, 32 bytes; about 32 MiB and 0.1-0.4 s
 * here, once per /key. Node's default `maxmem` (32 MiB) refuses exactly this N, so the derivation raises it.
 * The LAN group key uses the same cost, so both modes derive keys the same way.
 */
export const ROOM_SCRYPT_N = 2 ** 15;
export const ROOM_SCRYPT_R = 8;
export const ROOM_SCRYPT_P = 1;
export const ROOM_KEY_BYTES = 32;
export const ROOM_SCRYPT_MAXMEM = 64 * 1024 * 1024;

/** The version byte that starts every room payload. */
export const ROOM_LINE_VERSION = 1;
/** The key id: enough to tell a wrong passphrase from a forgery (a false match is 1 in 2^32). */
export const ROOM_KEY_ID_BYTES = 4;
/** Per-sender line counter, u32, in the associated data. */
export const ROOM_SEQ_BYTES = 4;
/** A random 96-bit nonce per line: members never coordinate, so counters could collide and random cannot. */
export const ROOM_NONCE_BYTES = 12;
/** The plaintext starts with its kind (0 a line, 1 an action). */
export const ROOM_KIND_BYTES = 1;
export const ROOM_TAG_BYTES = 16;
/** version, key id, seq, nonce, kind, tag: 38 bytes around the text. */
export const ROOM_PAYLOAD_OVERHEAD_BYTES =
  1 + ROOM_KEY_ID_BYTES + ROOM_SEQ_BYTES + ROOM_NONCE_BYTES + ROOM_KIND_BYTES + ROOM_TAG_BYTES;
