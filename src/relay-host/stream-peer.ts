/**
 * A TCP or WebSocket client as the relay core knows it: a SessionPeer (relay/peer.ts) whose identity is its
 * connection, never its address, so two connections from one address are two clients and a connection is
 * one client for its whole life. Its address is the socket's, for per-host limits, bans and logs.
 */
import type { SessionPeer } from '../relay/peer.ts';
import type { StreamConnection } from '../transport/stream-connection.ts';

export class StreamPeer implements SessionPeer {
  readonly sessionKey: string;
  readonly host: string;
  readonly port: number;

  constructor(
    readonly connection: StreamConnection,
    /** Unique among this relay's stream connections. */
    serial: number,
  ) {
    this.sessionKey = `${connection.kind}:${serial}`;
    this.host = connection.remote.host;
    this.port = connection.remote.port;
  }
}
