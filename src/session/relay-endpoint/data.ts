/**
 * DATA: an authenticated, fresh datagram of a session's reliable channel. Its lines go up to the relay core
 * in order; one without lines (an ack, a keep-alive) only says the session is alive. DATA from an address
 * other than the session's path starts path validation; DATA for a session we do not know gets a REJECT.
 */
import type { Address } from '../../protocol/address.ts';
import { AMPLIFICATION_FACTOR, REJECT_PACKET_BYTES } from '../../protocol/v2/limits.ts';
import { encodeReject, REJECT_REASONS } from '../../protocol/v2/wire.ts';
import { onNewPath } from './path-validation.ts';
import type { V2RelaySink } from './sink.ts';
import type { EndpointState, PacketHandler } from './state.ts';

export const onData: PacketHandler = (state, now, from, bytes, sessionId, sink) => {
  const session = state.sessions.withId(sessionId);
  if (session === undefined) {
    rejectUnknown(state, from, sessionId, bytes.byteLength, sink);
    return;
  }
  const received = session.link.receiveData(now, bytes);
  if (!received.ok) {
    state.stats.dropped++;
    return;
  }
  session.lastHeard = now;
  if (!session.isAt(from)) onNewPath(state, now, session, from, bytes.byteLength, sink);
  const delivered = received.value.delivered.filter((d) => d.type === 'line');
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

/** The relay restarted or dropped the session: say so, if the answer stays within 3x of the DATA. */
function rejectUnknown(
  state: EndpointState,
  from: Address,
  sessionId: Uint8Array,
  bytesIn: number,
  sink: V2RelaySink,
): void {
  if (REJECT_PACKET_BYTES > AMPLIFICATION_FACTOR * bytesIn) return;
  state.stats.rejects++;
  sink.datagram(from, encodeReject({ echo: sessionId, reason: REJECT_REASONS.unknownSession }));
}
