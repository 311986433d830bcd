/**
 * The values the LAN wire format carries (the byte layout is in index.ts). A datagram is the clear header
 * (who sent it and its place in that sender's stream) and the body (what it says).
 */

/** line and action are room lines; announce says "I am here, with this nick"; leave says goodbye. */
export type LanKind = 'line' | 'action' | 'announce' | 'leave';

export interface LanHeader {
  /** True when the body is sealed with the group key (flags bit 0). */
  readonly sealed: boolean;
  /** SENDER_ID_BYTES random bytes, new per process start (and at sequence wrap). */
  readonly senderId: Uint8Array;
  /** u32; every datagram of a sender carries the next one. */
  readonly sequence: number;
}

export interface LanBody {
  readonly kind: LanKind;
  /**
   * When the sender took its nick, in ms since 1970 by its own clock: the same value in every datagram it
   * sends under that nick, so every receiver resolves a nick collision the same way.
   */
  readonly claimedAt: number;
  /**
   * For a line or action, its own number in the sender's stream of lines (0, 1, 2, ...); for an announce or
   * leave, how many lines the sender had sent before it. A receiver that skips lost datagrams learns from
   * the next one exactly how many of them were lines.
   */
  readonly lineNumber: number;
  readonly nick: string;
  /** The line's text; empty for announce and leave. */
  readonly text: string;
}

export interface LanDatagram extends LanBody {
  readonly senderId: Uint8Array;
  readonly sequence: number;
}

/** Why bytes are not a LAN datagram we accept. Decoding never throws: every failure is one of these. */
export type LanDecodeError =
  /** Over MAX_LAN_DATAGRAM_BYTES. */
  | 'too-large'
  /** Shorter than its fixed fields, or a nick length that runs past the end. */
  | 'truncated'
  /** The first byte is not LAN_MAGIC: v1 text, v2, or something else entirely. */
  | 'not-lan'
  | 'version'
  /** A flag bit this version does not define. */
  | 'flags'
  /** Sealed with a group key, and we have none. */
  | 'needs-key'
  /** In clear, and we have a group key: only the group's authenticated traffic is accepted. */
  | 'unsealed'
  /** Sealed, but not with our key, or altered on the way. */
  | 'authentication'
  | 'kind'
  /** A claimed-at time beyond Number.MAX_SAFE_INTEGER ms. */
  | 'timestamp'
  | 'nick'
  | 'invalid-utf8'
  /** A line or action of more than MAX_LAN_TEXT_CHARS code points. */
  | 'text-too-long'
  /** A line or action without text. */
  | 'text-empty'
  /** An announce or leave with text after the nick. */
  | 'text-unexpected';

/** Why a datagram cannot be encoded: the same rules as decoding, plus the fields only a sender fills. */
export type LanEncodeError =
  | 'too-large'
  | 'sender-id'
  | 'sequence'
  | 'line-number'
  | 'timestamp'
  | 'nick'
  /** Text with a lone surrogate: it has no UTF-8 form. */
  | 'invalid-utf8'
  | 'text-too-long'
  | 'text-empty'
  | 'text-unexpected';
