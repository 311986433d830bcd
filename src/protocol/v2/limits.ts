/** Every v2 timer, window and size, with the defaults docs/PROTOCOL-v2.md documents. */

export const V2_MAGIC = 0xff;
export const V2_VERSION = 2;

/** HELLO is padded to this size so every answer before validation stays within 3x (RFC 9000 §8). */
export const HELLO_MIN_BYTES = 96;
export const AMPLIFICATION_FACTOR = 3;

export const NONCE_BYTES = 8;
export const SESSION_ID_BYTES = 8;
export const PUBLIC_KEY_BYTES = 32;
export const COOKIE_BYTES = 20;
export const TAG_BYTES = 16;
export const CHALLENGE_BYTES = 8;

/** Fixed part of a DATA datagram: header 3 + session 8 + packet number 4 + ack 8 + tag 16. */
export const DATA_OVERHEAD_BYTES = 3 + SESSION_ID_BYTES + 4 + 8 + TAG_BYTES;
/** A LINE frame's own header: type 1 + seq 4 + length 2. */
export const LINE_FRAME_OVERHEAD_BYTES = 7;

export const PROBE_INTERVAL_MS = 300;
export const PROBE_COUNT = 3;
export const VALIDATE_RETRY_MS = 500;
export const VALIDATE_COUNT = 5;
/** How often a client that lost its session asks again once its quick probes went unanswered. */
export const REPROBE_INTERVAL_MS = 1_000;
/** A CHALLENGE not answered within this long is sent again, budget permitting (RFC 9000 §8.2). */
export const CHALLENGE_RETRY_MS = 1_000;
export const COOKIE_SLOT_MS = 30_000;

export const ACK_DELAY_MS = 25;
export const INITIAL_RTO_MS = 500;
export const MIN_RTO_MS = 100;
export const MAX_RTO_MS = 8_000;
export const MAX_RETRANSMISSIONS = 8;
export const FAST_RETRANSMIT_THRESHOLD = 3;

export const MAX_IN_FLIGHT = 64;
export const MAX_SEND_QUEUE = 256;
export const RECEIVE_WINDOW = 128;
export const REPLAY_WINDOW = 1024;

/** The longest keep-alive interval: the client pings at least this often, whatever the ACCEPT says. */
export const CLIENT_PING_INTERVAL_MS = 10_000;
/** Most v2 sessions a relay holds at once unless its `maxV2Sessions` option says otherwise. */
export const DEFAULT_MAX_SESSIONS = 100_000;

// --- Datagram sizes (src/protocol/v2/wire.ts builds and checks exactly these; docs/PROTOCOL-v2.md table) ---

/** Every v2 datagram starts with magic, version and type. */
export const HEADER_BYTES = 3;
/** RETRY: header, echoed nonce, cookie. Within 3x of a 96-byte HELLO (RFC 9000 §8). */
export const RETRY_PACKET_BYTES = HEADER_BYTES + NONCE_BYTES + COOKIE_BYTES;
/** REJECT: header, echo (a nonce or a session id, both 8 bytes), reason. */
export const REJECT_PACKET_BYTES = HEADER_BYTES + NONCE_BYTES + 1;
/** The stateless reset token a REJECT 4 carries and the ACCEPT hands over (as QUIC's, RFC 9000 §10.3). */
export const RESET_TOKEN_BYTES = 16;
/** REJECT 4 (unknown session) adds the session's reset token: 28 bytes, still within 3x of a 39-byte DATA. */
export const REJECT_WITH_TOKEN_BYTES = REJECT_PACKET_BYTES + RESET_TOKEN_BYTES;
/** ACCEPT: header, nonce, session id, relay key, idle timeout ms (4), keep-alive ms (4), masked reset token, tag. */
export const ACCEPT_PACKET_BYTES =
  HEADER_BYTES + NONCE_BYTES + SESSION_ID_BYTES + PUBLIC_KEY_BYTES + 4 + 4 + RESET_TOKEN_BYTES + TAG_BYTES;
/** The relay's reset key (HMAC-SHA256): 32 bytes, drawn at start unless given. */
export const RESET_KEY_BYTES = 32;
/** CLOSE: header, session id, packet number, reason, tag. */
export const CLOSE_PACKET_BYTES = HEADER_BYTES + SESSION_ID_BYTES + 4 + 1 + TAG_BYTES;
/** CHALLENGE and RESPONSE: header, session id, packet number, challenge, tag. */
export const CHALLENGE_PACKET_BYTES = HEADER_BYTES + SESSION_ID_BYTES + 4 + CHALLENGE_BYTES + TAG_BYTES;
/** The cookie's slot index prefix (u32); the rest of the cookie is the truncated HMAC. */
export const COOKIE_SLOT_BYTES = 4;
/** X25519 private keys are 32 raw bytes (RFC 7748 §5). */
export const PRIVATE_KEY_BYTES = 32;
/** Each direction's HMAC-SHA256 key, from HKDF-SHA256 (RFC 5869). */
export const SESSION_KEY_BYTES = 32;
