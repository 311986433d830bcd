/**
 * DATA: a sealed datagram of a session's reliable channel that opened and is fresh. Its lines go up to the
 * relay core in order; one without lines (an ack, a keep-alive) only says the session is alive. DATA from an address
 * other than the session's path starts path validation; DATA for a session we do not know gets a REJECT 4.
 * A client's DATA with more LINE frames than v1 allows in one datagram is dropped whole, unacknowledged.
 * A session that has seen ChaCha20-Poly1305's integrity limit of forgeries (RFC 9001 §6.6) ends with CLOSE 4.
 */
import { AEAD_INTEGRITY_LIMIT, MAX_CLIENT_LINES_PER_DATA } from '../../protocol/v2/protected-limits.ts';
import { PROTECTED_CLOSE_REASONS } from '../../protocol/v2/protected-packets.ts';
import { onNewPath } from './path-validation.ts';
import { rejectUnknown } from './reset.ts';
import { countDrop, endSession, type PacketHandler } from './state.ts';

export const onData: PacketHandler = (state, now, from, bytes, sessionId, sink) => {
  const session = state.sessions.withId(sessionId);
  if (session === undefined) {
    rejectUnknown(state, from, sessionId, bytes.byteLength, sink);
    return;
  }
  const received = session.link.receiveData(now, bytes, MAX_CLIENT_LINES_PER_DATA);
  if (!received.ok) {
    countDrop(state.stats, received.reason);
    if (session.link.authFailures >= AEAD_INTEGRITY_LIMIT && endSession(state, now, session)) {
      sink.datagram(session.address, session.link.sealClose(PROTECTED_CLOSE_REASONS.renew));
      sink.ended(session, 'left');
    }
    return;
  }
  session.lastHeard = now;
  if (!session.isAt(from)) onNewPath(state, now, session, from, bytes.byteLength, sink);
  const delivered = received.value.events.delivered.filter((d) => d.type === 'line');
  const first = delivered[0];
  if (first !== undefined)
    sink.lines(
      session,
      delivered.map((d) => d.text),
      first.seq,
    );
  else sink.heard(session);
  state.schedule.touch(session);
};
