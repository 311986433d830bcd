/**
 * Stateless reset (docs/PROTOCOL-v2.md, "REJECT"), in the manner of QUIC's (RFC 9000 §10.3): a relay that
 * no longer knows a session (it restarted, or evicted it) must still be able to end it, and nobody else
 * may. Each session's token is
 *
 *   token = HMAC-SHA256(reset key, "udpchat wire3 reset" ‖ session id)[0..16]
 *
 * The reset key comes from the relay's identity (relay-identity.ts), so a restarted relay derives the same
 * tokens without remembering anything. The client learns its token only inside the ACCEPT's sealed
 * parameters, so an observer who sees every datagram of a session still cannot forge its REJECT 4.
 */
import { createHmac, type KeyObject, timingSafeEqual } from 'node:crypto';
import { SESSION_ID_BYTES } from './limits.ts';
import { RESET_TOKEN_BYTES } from './protected-limits.ts';

export const RESET_TOKEN_LABEL = 'udpchat wire3 reset';

/** The token that ends session `sessionId`. */
export function resetToken(resetKey: KeyObject, sessionId: Uint8Array): Uint8Array {
  if (sessionId.byteLength !== SESSION_ID_BYTES) throw new RangeError('a session id is 8 bytes');
  const digest = createHmac('sha256', resetKey).update(RESET_TOKEN_LABEL).update(sessionId).digest();
  return new Uint8Array(digest.subarray(0, RESET_TOKEN_BYTES));
}

/** Client side: whether a REJECT's token is the one the ACCEPT gave (constant time; never throws). */
export function resetTokenMatches(expected: Uint8Array, received: Uint8Array): boolean {
  if (expected.byteLength !== RESET_TOKEN_BYTES || received.byteLength !== RESET_TOKEN_BYTES) return false;
  return timingSafeEqual(expected, received);
}
