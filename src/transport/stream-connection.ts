/**
 * The relay's side of a stream transport (TCP with newline framing, WebSocket with one datagram per
 * message): what the relay host sees of one connection, and what the binding tells it. The bindings
 * (tcp-server.ts, ws-server.ts) own the sockets, the framing and the per-connection limits; the host turns
 * each connection into a peer of the relay core (relay-host/stream-gateway.ts).
 */
import type { Address } from '../protocol/address.ts';

export type StreamKind = 'tcp' | 'ws';

/**
 * Why a connection ended: the peer closed it (FIN, or a WebSocket close), it was reset or failed (RST, a
 * protocol error), it sent no line for the idle timeout, it read too slowly, or the relay ended it.
 */
export type StreamEnd = 'closed' | 'reset' | 'idle' | 'slow' | 'ended';

export interface StreamConnection {
  readonly kind: StreamKind;
  /** The peer's address as the socket saw it (per-host limits and bans use its host). */
  readonly remote: Address;
  /** One or more whole lines, each ending `\n`. Over the write budget the connection is dropped as slow. */
  write(payload: Uint8Array): void;
  /** A WebSocket client that asked for acknowledgements learns that its message `id` was handled. */
  acknowledge(id: number, refusal: string | null): void;
  /** Sends what is queued (and `goodbye`, if given), then closes; cut after a grace if the peer lingers. */
  end(goodbye?: Uint8Array): void;
}

/** What the binding reports about one connection, in order; nothing follows `ended`. */
export interface StreamHandler {
  /**
   * One unit of the client's bytes, handled as one v1 datagram: a line over TCP, a message over WebSocket.
   * `ackId` is the id the client wants acknowledged, or null.
   */
  received(bytes: Uint8Array, ackId: number | null): void;
  /** A line passed its limit and was refused unread (`bytes` so far). */
  overlong(bytes: number): void;
  ended(why: StreamEnd): void;
}

/** Called for each new connection; the connection's events go to what it returns. */
export type StreamAcceptor = (connection: StreamConnection) => StreamHandler;
