/**
 * NAT rebinding (docs/PROTOCOL-v2.md, "Sessions and NAT rebinding"; RFC 9000 §8.2, §9). Authenticated,
 * fresh DATA from a new address means the client's NAT rebound (or an on-path attacker raced a copy). The
 * new path is used only after it answers a CHALLENGE with a RESPONSE; until then it is sent at most 3x what
 * it sent, and a CHALLENGE is repeated at most every CHALLENGE_RETRY_MS.
 */
import type { Address } from '../../protocol/address.ts';
import { bytesEqual } from '../../protocol/v2/bytes.ts';
import { drawRandom } from '../../protocol/v2/crypto.ts';
import {
  AMPLIFICATION_FACTOR,
  CHALLENGE_BYTES,
  CHALLENGE_PACKET_BYTES,
  CHALLENGE_RETRY_MS,
} from '../../protocol/v2/limits.ts';
import type { CandidatePath, RelaySession } from '../relay-session.ts';
import { rejectUnknown } from './reset.ts';
import type { V2RelaySink } from './sink.ts';
import { countDrop, type EndpointState, type PacketHandler } from './state.ts';

/** DATA for `session` arrived from `from`, not its path: challenge `from`, budget permitting. */
export function onNewPath(
  state: EndpointState,
  now: number,
  session: RelaySession,
  from: Address,
  bytesIn: number,
  sink: V2RelaySink,
): void {
  const candidate = candidateAt(state, session, from);
  candidate.bytesIn += bytesIn;
  const withinBudget =
    candidate.bytesOut + CHALLENGE_PACKET_BYTES <= AMPLIFICATION_FACTOR * candidate.bytesIn;
  const retryMs = state.options.challengeRetryMs ?? CHALLENGE_RETRY_MS;
  if (!withinBudget || now - candidate.challengedAt < retryMs || session.link.exhausted) return;
  candidate.bytesOut += CHALLENGE_PACKET_BYTES;
  candidate.challengedAt = now;
  state.stats.challenges++;
  sink.datagram(from, session.link.sealChallenge(candidate.challenge));
}

/**
 * RESPONSE: the candidate path answered its challenge, so the session moves there, and every line the
 * client has not acknowledged is sent again at once on the new path: its timer was set for the old one,
 * which may be dead, and a backed-off timer can be 8 s away. A RESPONSE for a session we do not know gets a
 * REJECT 4, as a DATA does.
 */
export const onResponse: PacketHandler = (state, now, from, bytes, sessionId, sink) => {
  const session = state.sessions.withId(sessionId);
  if (session === undefined) {
    rejectUnknown(state, from, sessionId, bytes.byteLength, sink);
    return;
  }
  const candidate = session.candidate;
  // From anywhere but the candidate it is dropped before its packet number is spent, so a copy raced from a
  // third address cannot use up the client's genuine RESPONSE.
  if (candidate === null || !sameAddress(candidate.address, from)) {
    state.stats.dropped++;
    return;
  }
  const answered = session.link.receiveResponse(bytes);
  if (!answered.ok) {
    countDrop(state.stats, answered.reason);
    return;
  }
  if (!bytesEqual(answered.value, candidate.challenge)) {
    state.stats.dropped++;
    return;
  }
  session.migrate(from);
  session.lastHeard = now;
  state.stats.migrations++;
  session.link.channel.resendOutstanding();
  state.schedule.touch(session);
};

/** The path being validated at `from`: the current one, or a new one with a fresh challenge and budget. */
function candidateAt(state: EndpointState, session: RelaySession, from: Address): CandidatePath {
  const current = session.candidate;
  if (current !== null && sameAddress(current.address, from)) return current;
  const candidate: CandidatePath = {
    address: from,
    challenge: drawRandom(state.options.random, CHALLENGE_BYTES),
    bytesIn: 0,
    bytesOut: 0,
    challengedAt: Number.NEGATIVE_INFINITY,
  };
  session.candidate = candidate;
  return candidate;
}

function sameAddress(a: Address, b: Address): boolean {
  return a.host === b.host && a.port === b.port;
}
