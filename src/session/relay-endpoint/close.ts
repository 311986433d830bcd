/** CLOSE from the client: authenticated and fresh, it ends the session at once (docs/PROTOCOL-v2.md). */
import type { PacketHandler } from './state.ts';
import { endSession } from './state.ts';

export const onClose: PacketHandler = (state, now, _from, bytes, sessionId, sink) => {
  const session = state.sessions.withId(sessionId);
  if (session === undefined || !session.link.receiveClose(bytes).ok) {
    state.stats.dropped++;
    return;
  }
  endSession(state, now, session);
  sink.ended(session, 'left');
};
