/**
 * Stateless reset (docs/PROTOCOL-v2.md, section 11.2; RFC 9000 §10.3): a DATA or RESPONSE for a session id
 * the relay does not have gets a REJECT 4 carrying that session's reset token, which the relay computes from
 * the id and its reset key alone, so it needs no memory of the session.
 */
import type { Address } from '../../protocol/address.ts';
import { AMPLIFICATION_FACTOR, REJECT_WITH_TOKEN_BYTES } from '../../protocol/v2/limits.ts';
import { encodeReject3 } from '../../protocol/v2/protected-handshake.ts';
import { PROTECTED_REJECT_REASONS } from '../../protocol/v2/protected-packets.ts';
import { resetToken } from '../../protocol/v2/reset-token.ts';
import type { V2RelaySink } from './sink.ts';
import type { EndpointState } from './state.ts';

/**
 * The relay dropped the session (eviction whose CLOSE was lost, a relay restarted with the same identity):
 * say so with the session's reset token, which only this relay can compute and only the client learned,
 * if the answer stays within 3x of the DATA.
 */
export function rejectUnknown(
  state: EndpointState,
  from: Address,
  sessionId: Uint8Array,
  bytesIn: number,
  sink: V2RelaySink,
): void {
  if (REJECT_WITH_TOKEN_BYTES > AMPLIFICATION_FACTOR * bytesIn) return;
  state.stats.rejects++;
  const token = resetToken(state.identity.resetKey, sessionId);
  const reason = PROTECTED_REJECT_REASONS.unknownSession;
  sink.datagram(from, encodeReject3({ echo: sessionId, reason, token }));
}
