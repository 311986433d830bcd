/** Where the v2 relay endpoint's output goes: datagrams to the socket, lines and liveness to the relay core. */
import type { Address } from '../../protocol/address.ts';
import type { RelaySession } from '../relay-session.ts';

export interface V2RelaySink {
  datagram(to: Address, bytes: Uint8Array): void;
  /** In-order lines from a session, for the relay core. */
  lines(session: RelaySession, lines: readonly string[]): void;
  /** An authenticated datagram without lines (an ack, a keep-alive): the session is alive. */
  heard(session: RelaySession): void;
  /**
   * The session is gone: the client sent CLOSE (`left`), or it was silent beyond the idle timeout and was
   * sent CLOSE 1 (`timed out`). The core announces the departure as that, as it does for v1 clients.
   */
  ended(session: RelaySession, reason: 'left' | 'timed out'): void;
}
