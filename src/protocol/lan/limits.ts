/**
 * Every size, count and timing limit of serverless LAN (multicast) chat, in one place. Where a limit is the
 * relay's own (nick length, line length, datagram size, flood control) it is taken from ../limits.ts, so a
 * line that a relay would refuse is refused on the LAN too, and for the same reason.
 */
import {
  DEFAULT_LINE_BURST,
  DEFAULT_LINE_RATE,
  MAX_DATAGRAM_BYTES,
  MAX_LINE_CHARS,
  MAX_NICK_CHARS,
} from '../limits.ts';

// --- Wire format (src/protocol/lan/index.ts has the table) ---

/**
 * 0xFE never occurs in UTF-8 (RFC 3629 section 1: the octets C0, C1 and F5-FF never appear), so a LAN
 * datagram is never a v1 line; it is not v2's 0xFF either. The seed's relay fails to decode it and drops it.
 */
export const LAN_MAGIC = 0xfe;
export const LAN_VERSION = 1;

/** Random per process start; with the sequence number it is the message id and the AEAD nonce. */
export const SENDER_ID_BYTES = 8;
export const SEQUENCE_BYTES = 4;
/** Sequence numbers are u32; a sender about to pass this takes a new sender id (see LocalSender). */
export const MAX_SEQUENCE = 0xffff_ffff;
/** Line numbers are u32 too, and a sender sends fewer lines than datagrams, so they never wrap first. */
export const MAX_LINE_NUMBER = 0xffff_ffff;

/** magic, version, flags, sender id, sequence: sent in clear, and the AEAD's associated data. */
export const HEADER_BYTES = 3 + SENDER_ID_BYTES + SEQUENCE_BYTES;
/** Flags bit 0: the body is sealed with the group key. Every other bit must be 0. */
export const FLAG_SEALED = 0x01;

/** kind (1), nick claimed at (8), line number (4), nick length (1). */
export const BODY_FIXED_BYTES = 1 + 8 + 4 + 1;
/** A nick is at most MAX_NICK_CHARS code points of at most 4 UTF-8 bytes each. */
export const MAX_NICK_BYTES = MAX_NICK_CHARS * 4;
/** The relay's line cap (the seed's "Common pitfalls": 1,024 characters). */
export const MAX_LAN_TEXT_CHARS = MAX_LINE_CHARS;
/** No datagram sent or accepted is larger (RFC 8085 section 3.2), as for the relay. */
export const MAX_LAN_DATAGRAM_BYTES = MAX_DATAGRAM_BYTES;

// --- Group key: scrypt (RFC 7914) and ChaCha20-Poly1305 (RFC 8439) ---

export const GROUP_KEY_SALT_PREFIX = 'udpchat lan group v1 ';
/** 2^15, 8, 1: a little over RFC 7914 section 2's interactive parameters; derived once per start. */
export const GROUP_KEY_SCRYPT_N = 32_768;
export const GROUP_KEY_SCRYPT_R = 8;
export const GROUP_KEY_SCRYPT_P = 1;
export const GROUP_KEY_BYTES = 32;
/** RFC 8439 section 2.8: a 96-bit nonce and a 128-bit tag. */
export const AEAD_NONCE_BYTES = 12;
export const AEAD_TAG_BYTES = 16;

// --- Presence ---

/**
 * Announcements: one at start, a second one a second later (as Multicast DNS announces twice, RFC 6762
 * section 8.3, so one lost datagram does not hide a newcomer), then every 5 s spread by up to 10 %.
 */
export const STARTUP_REANNOUNCE_MS = 1_000;
export const ANNOUNCE_INTERVAL_MS = 5_000;
export const ANNOUNCE_JITTER_FRACTION = 0.1;
/**
 * A newcomer would otherwise see the peers already there only at their next periodic announcements (up
 * to 2 x 5.5 s, as it needs two datagrams from each). A peer that sees someone arrive announces itself
 * twice more (after a random 20-120 ms, Multicast DNS's response delay, RFC 6762 section 6, so the peers
 * of a group do not answer at once; then 1 s later), at most once per answer gap: a stream of newcomers,
 * forged ones included, costs at most two announcements per gap.
 */
export const NEWCOMER_ANSWER_MIN_MS = 20;
export const NEWCOMER_ANSWER_MAX_MS = 120;
export const NEWCOMER_ANSWER_GAP_MS = 2_000;
/** A sender not heard for three announce periods is timed out. */
export const SENDER_TIMEOUT_MS = 3 * ANNOUNCE_INTERVAL_MS;

// --- Receiving: order, duplicates, bounds ---

/** Datagrams held per sender while an earlier one is missing; one further ahead forces the gap. */
export const REORDER_WINDOW = 32;
/** How long a datagram waits for the ones before it before they are declared lost. */
export const REORDER_HOLD_MS = 500;
/** Held datagrams over all senders: beyond it a sender's gap is declared at once instead of waiting. */
export const MAX_HELD_DATAGRAMS = 1_024;
/** Remote senders remembered; a newcomer evicts the least recently heard sender not yet present. */
export const MAX_SENDERS = 256;
/** Per sender, the shown message ids remembered for duplicate and dual-path merging (a bitmap). */
export const SHOWN_WINDOW = 256;
/** Senders whose shown ids are remembered (relay copies may name senders this LAN never hears). */
export const MAX_SHOWN_SENDERS = 2 * MAX_SENDERS;
/** Senders that left, remembered so a late or repeated datagram of theirs is not taken for a return. */
export const MAX_DEPARTED_SENDERS = MAX_SENDERS;
/** Senders that timed out, remembered so that one heard again is present at once (it was before). */
export const MAX_TIMED_OUT_SENDERS = MAX_SENDERS;
/** Senders already reported as using another group key (reported once each). */
export const MAX_KEY_MISMATCH_REPORTED = MAX_SENDERS;

/**
 * Incoming datagrams. Per sender: twice the relay's flood-control allowance, so an honest sender (10 lines
 * at once, 4 a second, plus announcements) is never throttled. Overall: what a busy LAN of many senders
 * sends, checked before any decryption so a flood costs little CPU.
 */
export const INBOUND_SENDER_BURST = 2 * DEFAULT_LINE_BURST;
export const INBOUND_SENDER_RATE = 2 * DEFAULT_LINE_RATE;
export const INBOUND_TOTAL_BURST = 400;
export const INBOUND_TOTAL_RATE = 200;

/** Outgoing lines and actions: the relay's own flood-control defaults, refused locally beyond them. */
export const OUTBOUND_LINE_BURST = DEFAULT_LINE_BURST;
export const OUTBOUND_LINE_RATE = DEFAULT_LINE_RATE;

/** A collision loser is shown as nick#abcd: this many hex digits of its sender id. */
export const COLLISION_SUFFIX_HEX_DIGITS = 4;

/** "Another group key" reports: once per sender, and at most 5 at once then one per 10 s for a flood. */
export const KEY_MISMATCH_REPORT_BURST = 5;
export const KEY_MISMATCH_REPORT_RATE = 0.1;
