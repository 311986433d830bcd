/**
 * The names and reason codes of wire version 3 (docs/PROTOCOL-v2.md, "Datagram layout", "CLOSE",
 * "REJECT"), and why a datagram is dropped. Type codes are wire version 2's (packets.ts): only the version
 * byte and what follows the header changed.
 */
import type { DecodeFailureReason } from './packets.ts';

/** The datagrams sealed with a session's keys; every other type is part of the handshake. */
export type ProtectedType = 'data' | 'close' | 'challenge' | 'response';

export const PROTECTED_TYPE_CODES: Readonly<Record<ProtectedType, number>> = {
  data: 0x04,
  close: 0x05,
  challenge: 0x06,
  response: 0x07,
};

/** CLOSE reasons. A receiver takes any value (the CLOSE is authenticated); unknown ones mean "other". */
export const PROTECTED_CLOSE_REASONS = {
  /** Client: it is done (after its `/leave` was acknowledged, or on quitting). */
  leave: 0,
  /** Relay: the session was silent for longer than the idle timeout; members see `*** nick timed out ***`. */
  idle: 1,
  /** Relay: it is shutting down, after `*** server going down ***`. */
  shutdown: 2,
  /** Relay: a server operator ended it (`/kill`); members see the kill notice. The client does not reconnect. */
  killed: 3,
  /** Either side: the packet numbers (or the forgery budget) of this session's keys are used up: open another. */
  renew: 4,
} as const;

/** REJECT reasons; a REJECT with any other value is malformed. */
export const PROTECTED_REJECT_REASONS = {
  /** To a HELLO of another version, in that version's layout when the relay knows it. */
  versionNotSupported: 1,
  /** Reserved (wire version 2 defined it; it is never sent: v1 datagrams in strict mode are dropped). */
  strictRequiresV2: 2,
  /** To a HELLO with a valid cookie when the relay's session caps are reached. */
  tooManySessions: 3,
  /** To a DATA or RESPONSE for a session the relay does not know; carries the session's reset token. */
  unknownSession: 4,
  /** To a HELLO whose client key is a small-order point (it would give a secret everyone knows). */
  badKey: 5,
} as const;

export type ProtectedRejectReason = (typeof PROTECTED_REJECT_REASONS)[keyof typeof PROTECTED_REJECT_REASONS];

/** Why a wire-3 datagram was dropped; each is counted (docs/PROTOCOL-v2.md, "Errors"). */
export type ProtectedFailureReason =
  | DecodeFailureReason
  /** The AEAD did not open: forged, altered, truncated inside, another session's, or a reflection. */
  | 'auth'
  /** HELLO or ACCEPT extensions whose type-length-value items do not add up. */
  | 'extensions'
  /** An ACCEPT for another HELLO (its nonce is not ours). */
  | 'nonce'
  /** An ACCEPT whose relay ephemeral key is small-order or not 32 bytes. */
  | 'key'
  /** An ACCEPT whose proof does not verify under the identity key it carries. */
  | 'proof'
  /** An ACCEPT whose sealed timers are zero. */
  | 'params';

export interface ProtectedFailure {
  readonly ok: false;
  readonly reason: ProtectedFailureReason;
}

export function failure(reason: ProtectedFailureReason): ProtectedFailure {
  return { ok: false, reason };
}
