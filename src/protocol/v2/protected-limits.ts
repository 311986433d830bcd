/**
 * Sizes and limits of wire version 3, the protected form of protocol v2 that the session layer speaks
 * (docs/PROTOCOL-v2.md). The sizes both versions share, the timers and windows, and the retired wire
 * version 2's own sizes are in limits.ts.
 */
import { MAX_DATAGRAM_BYTES, MAX_LINES_PER_DATAGRAM } from '../limits.ts';
import {
  COOKIE_SLOT_MS,
  HEADER_BYTES,
  NONCE_BYTES,
  PUBLIC_KEY_BYTES,
  RESET_TOKEN_BYTES,
  SESSION_ID_BYTES,
} from './limits.ts';

/** The version byte (offset 1) of every protected-v2 datagram; wire version 2 had 0x02. */
export const PROTECTED_VERSION = 3;

/** ChaCha20-Poly1305 (RFC 8439 §2.8): 256-bit key, 96-bit nonce, 128-bit tag. */
export const AEAD_KEY_BYTES = 32;
export const AEAD_NONCE_BYTES = 12;
export const AEAD_TAG_BYTES = 16;

/** Magic, version, type, session id, packet number: sent in clear and authenticated as associated data. */
export const PROTECTED_HEADER_BYTES = HEADER_BYTES + SESSION_ID_BYTES + 4;
/** What protection adds to a payload: the header and the tag. */
export const PROTECTED_OVERHEAD_BYTES = PROTECTED_HEADER_BYTES + AEAD_TAG_BYTES;
/** The largest payload (before encryption) one datagram carries. */
export const MAX_PROTECTED_PAYLOAD_BYTES = MAX_DATAGRAM_BYTES - PROTECTED_OVERHEAD_BYTES;
/** DATA's payload starts with ack next (u32) and the ack bitmap (u32). */
export const ACK_FIELDS_BYTES = 8;
/** A DATA with no frames: 39 bytes, as in wire version 2, so the longest line is unchanged (1,154 bytes). */
export const PROTECTED_DATA_OVERHEAD_BYTES = PROTECTED_OVERHEAD_BYTES + ACK_FIELDS_BYTES;
/** CLOSE's payload is its reason (1 byte). */
export const PROTECTED_CLOSE_BYTES = PROTECTED_OVERHEAD_BYTES + 1;
/** CHALLENGE's and RESPONSE's payload is the 8-byte challenge. */
export const PROTECTED_PROBE_BYTES = PROTECTED_OVERHEAD_BYTES + 8;

/** Ed25519 (RFC 8032): 32-byte seed and public key, 64-byte signature. */
export const IDENTITY_SEED_BYTES = 32;
export const IDENTITY_KEY_BYTES = 32;
export const PROOF_BYTES = 64;

/** The stateless reset token a REJECT 4 carries: the same 16 bytes in both wire versions. */
export { RESET_TOKEN_BYTES };

/** HELLO: nonce, client key, cookie length, cookie (0 or 20), extensions length (u16), extensions, padding. */
export const HELLO_EXTENSIONS_LENGTH_BYTES = 2;
/** ACCEPT in clear: header, nonce, session id, relay ephemeral key, relay identity key, proof. */
export const ACCEPT_CLEAR_BYTES =
  HEADER_BYTES + NONCE_BYTES + SESSION_ID_BYTES + PUBLIC_KEY_BYTES + IDENTITY_KEY_BYTES + PROOF_BYTES;
/** ACCEPT's sealed parameters: idle timeout ms (u32), keep-alive ms (u32), reset token, extensions length (u16). */
export const ACCEPT_PARAMS_BYTES = 4 + 4 + RESET_TOKEN_BYTES + 2;
/** ACCEPT without extensions: 189 bytes. */
export const PROTECTED_ACCEPT_BYTES = ACCEPT_CLEAR_BYTES + ACCEPT_PARAMS_BYTES + AEAD_TAG_BYTES;

/** REJECT: header, echo, reason; reason 4 adds the reset token. */
export const PROTECTED_REJECT_BYTES = HEADER_BYTES + 8 + 1;
export const PROTECTED_REJECT_WITH_TOKEN_BYTES = PROTECTED_REJECT_BYTES + RESET_TOKEN_BYTES;

/** A DATA from a client carries at most v1's lines per datagram, so one datagram cannot fan out into 145. */
export const MAX_CLIENT_LINES_PER_DATA = MAX_LINES_PER_DATAGRAM;

/** Packet numbers are u32 and never wrap: a sender's last number carries its CLOSE reason 4 (renew). */
export const MAX_PACKET_NUMBER = 0xffff_ffff;
/**
 * RFC 9001 §6.6: ChaCha20-Poly1305's integrity limit is 2^36 forgery attempts per key; a receiver that has
 * seen this many packets fail to open ends the session. Its confidentiality limit exceeds 2^32 packets.
 */
export const AEAD_INTEGRITY_LIMIT = 2 ** 36;

/** ACCEPT's keep-alive is at most a third of its idle timeout (PROTOCOL.md: one lost ping never evicts). */
export const KEEPALIVE_FRACTION = 3;
/** ... and at most the client's usual ping interval. */
export const MAX_KEEPALIVE_MS = 10_000;
/** ACCEPT's timers are u32 milliseconds; a relay refuses, at start, an idle timeout beyond this. */
export const MAX_ADVERTISED_MS = 0xffff_ffff;
/** The shortest idle timeout that still leaves a keep-alive of 1 ms. */
export const MIN_IDLE_TIMEOUT_MS = KEEPALIVE_FRACTION;

/** A spent HELLO nonce is remembered this long (its cookie's whole validity), so it cannot open a second session. */
export const SPENT_NONCE_MEMORY_MS = 2 * COOKIE_SLOT_MS;

/** A pinned client told REJECT 3 (the relay is full) asks again after this long, never falling back to v1. */
export const FULL_RELAY_RETRY_MS = 5_000;
