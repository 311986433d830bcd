/**
 * DATA: an authenticated, fresh datagram of a session's reliable channel. Its lines go up to the relay core
 * in order; one without lines (an ack, a keep-alive) only says the session is alive. DATA from an address
 * other than the session's path starts path validation; DATA for a session we do not know gets a REJECT 4.
 * A client's DATA with more LINE frames than v1 allows in one datagram is dropped whole, unacknowledged.
 */
import { MAX_CLIENT_LINES_PER_DATA } from '../../protocol/v2/protected-limits.ts';
import { onNewPath } from './path-validation.ts';
import { rejectUnknown } from './reset.ts';
import type { PacketHandler } from './state.ts';

export const onData: PacketHandler = (state, now, from, bytes, sessionId, sink) => {
  const session = state.sessions.withId(sessionId);
  if (session === undefined) {
    rejectUnknown(state, from, sessionId, bytes.byteLength, sink);
    return;
  }
  const received = session.link.receiveData(now, bytes, MAX_CLIENT_LINES_PER_DATA);
  if (!received.ok) {
    state.stats.dropped++;
    if (received.reason === 'too-many-lines') state.stats.tooManyLines++;
    return;
  }
  session.lastHeard = now;
  if (!session.isAt(from)) onNewPath(state, now, session, from, bytes.byteLength, sink);
  const lines = received.value.delivered.flatMap((d) => (d.type === 'line' ? [d.text] : []));
  if (lines.length > 0) sink.lines(session, lines);
  else sink.heard(session);
  state.schedule.touch(session);
};
