/** CLOSE from the client: authenticated and fresh, it ends the session at once (docs/PROTOCOL-v2.md). */
import { countDrop, endSession, type PacketHandler } from './state.ts';

export const onClose: PacketHandler = (state, now, _from, bytes, sessionId, sink) => {
  const session = state.sessions.withId(sessionId);
  if (session === undefined) {
    // Never answered: two relays must not keep each other busy (docs/PROTOCOL-v2.md, section 11.2).
    state.stats.dropped++;
    return;
  }
  const closed = session.link.receiveClose(bytes);
  if (!closed.ok) {
    countDrop(state.stats, closed.reason);
    return;
  }
  endSession(state, now, session);
  sink.ended(session, 'left');
};
