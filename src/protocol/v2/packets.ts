/**
 * The typed v2 datagrams (docs/PROTOCOL-v2.md, "Datagram layout") and the result values their decoders
 * return. Byte strings (nonces, session ids, keys, cookies, challenges) are plain Uint8Arrays of the sizes
 * in limits.ts; `hex()` in bytes.ts turns them into map keys.
 */
import type { AckInfo, Frame } from './frames.ts';

/** The type byte (offset 2) of each datagram. */
export const PACKET_TYPE_CODES = {
  hello: 0x01,
  retry: 0x02,
  accept: 0x03,
  data: 0x04,
  close: 0x05,
  challenge: 0x06,
  response: 0x07,
  reject: 0x08,
} as const;

export type PacketType = keyof typeof PACKET_TYPE_CODES;

/** REJECT reasons, exactly the spec's list ("REJECT reasons"). */
export const REJECT_REASONS = {
  versionNotSupported: 1,
  /** Defined but never sent: v1 datagrams in strict mode are dropped unanswered. */
  strictRequiresV2: 2,
  tooManySessions: 3,
  /** Carries the session's reset token: the only REJECT that may end an established session. */
  unknownSession: 4,
  /** The HELLO's client key is a small-order X25519 point (its shared secret would be public). */
  badKey: 5,
} as const;

export type RejectReason = (typeof REJECT_REASONS)[keyof typeof REJECT_REASONS];

/**
 * CLOSE reasons (docs/PROTOCOL-v2.md, "CLOSE"). Decoders accept any byte (the datagram is tagged, and the
 * reason only informs).
 */
export const CLOSE_REASONS = {
  /** The client is done (after its `/leave` was acknowledged). */
  leave: 0,
  /** The relay evicted an idle session (`--idle-timeout`). */
  idle: 1,
  /** The relay is shutting down (after `*** server going down ***`). */
  shutdown: 2,
  /** A server operator's `/kill`: the client does not reconnect by itself. */
  killed: 3,
  /** The sender's packet numbers are used up: the client opens a new session at once. */
  renew: 4,
} as const;

export interface HelloPacket {
  readonly type: 'hello';
  readonly nonce: Uint8Array;
  readonly publicKey: Uint8Array;
  /** Absent on the first probe; the RETRY's cookie afterwards. */
  readonly cookie: Uint8Array | null;
}

export interface RetryPacket {
  readonly type: 'retry';
  readonly nonce: Uint8Array;
  readonly cookie: Uint8Array;
}

export interface AcceptPacket {
  readonly type: 'accept';
  readonly nonce: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly publicKey: Uint8Array;
  /** Whole milliseconds (u32): the relay evicts a session silent for longer. */
  readonly idleTimeoutMs: number;
  /** Whole milliseconds (u32): the client pings after this long without sending. */
  readonly keepAliveMs: number;
  /** The session's reset token, in clear here; on the wire it is masked (wire-session.ts). */
  readonly resetToken: Uint8Array;
}

export interface DataPacket {
  readonly type: 'data';
  readonly sessionId: Uint8Array;
  readonly packetNumber: number;
  readonly ack: AckInfo;
  readonly frames: readonly Frame[];
}

export interface ClosePacket {
  readonly type: 'close';
  readonly sessionId: Uint8Array;
  readonly packetNumber: number;
  readonly reason: number;
}

export interface ChallengePacket {
  readonly type: 'challenge';
  readonly sessionId: Uint8Array;
  readonly packetNumber: number;
  readonly challenge: Uint8Array;
}

export interface ResponsePacket {
  readonly type: 'response';
  readonly sessionId: Uint8Array;
  readonly packetNumber: number;
  readonly challenge: Uint8Array;
}

export interface RejectPacket {
  readonly type: 'reject';
  /** The HELLO's nonce (reasons 1, 3, 5) or the session id (reason 4). */
  readonly echo: Uint8Array;
  readonly reason: RejectReason;
  /** Reason 4's reset token; null for every other reason. */
  readonly token: Uint8Array | null;
}

export type Packet =
  | HelloPacket
  | RetryPacket
  | AcceptPacket
  | DataPacket
  | ClosePacket
  | ChallengePacket
  | ResponsePacket
  | RejectPacket;

/** What an encoder or sealer takes: the packet without its type. */
export type Fields<P extends Packet> = Omit<P, 'type'>;

/** Why a datagram was dropped (docs/PROTOCOL-v2.md "Errors": each is counted). */
export type DecodeFailureReason =
  /** Fewer bytes than the type needs (or than the header). */
  | 'short'
  /** The first byte is not 0xFF: not a v2 datagram at all. */
  | 'magic'
  /** A v2 magic with a version other than 2. */
  | 'version'
  /** An unknown type byte, or not the type the caller asked to decode. */
  | 'type'
  /** A wrong total size, more than 1,200 bytes, a cookie length other than 0 or 20, or a LINE longer than its datagram. */
  | 'length'
  /** HELLO padding that is not zero. */
  | 'padding'
  /** A REJECT reason the spec does not define. */
  | 'reason'
  /** The tag does not verify under the given key. */
  | 'tag'
  /** An unknown frame type, or a frame cut short. */
  | 'frame'
  /** A LINE whose bytes are not valid UTF-8. */
  | 'utf8'
  /** A LINE containing `\n` (a frame is exactly one v1 line). */
  | 'newline';

export interface DecodeFailure {
  readonly ok: false;
  readonly reason: DecodeFailureReason;
}

export type Decoded<P> = { readonly ok: true; readonly packet: P } | DecodeFailure;

/** The routing fields of a datagram, read without verifying it (to find the session and its key). */
export type Peeked =
  | { readonly ok: true; readonly type: 'hello' | 'retry' | 'accept'; readonly nonce: Uint8Array }
  | {
      readonly ok: true;
      readonly type: 'data' | 'close' | 'challenge' | 'response';
      readonly sessionId: Uint8Array;
    }
  | { readonly ok: true; readonly type: 'reject'; readonly echo: Uint8Array }
  | DecodeFailure;
