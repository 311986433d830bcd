/**
 * Stateless reset (docs/PROTOCOL-v2.md, Appendix A.3; RFC 9000 §10.3): a DATA or RESPONSE for a session id
 * the relay does not have gets a REJECT 4 carrying that session's reset token, which the relay computes from
 * the id and its reset key alone, so it needs no memory of the session.
 */
import type { Address } from '../../protocol/address.ts';
import { AMPLIFICATION_FACTOR, REJECT_WITH_TOKEN_BYTES } from '../../protocol/v2/limits.ts';
import { resetToken } from '../../protocol/v2/reset-token.ts';
import { encodeReject, REJECT_REASONS } from '../../protocol/v2/wire.ts';
import type { V2RelaySink } from './sink.ts';
import type { EndpointState } from './state.ts';

/**
 * The relay dropped the session (eviction whose CLOSE was lost, a relay restarted with the same reset key):
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
  const token = resetToken(state.resetKey, sessionId);
  sink.datagram(from, encodeReject({ echo: sessionId, reason: REJECT_REASONS.unknownSession, token }));
}
