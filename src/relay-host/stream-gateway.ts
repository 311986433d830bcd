/**
 * Stream connections (TCP, WebSocket) as peers of the relay core. Each connection becomes a StreamPeer;
 * each unit it sends (a line, a message) goes to `Relay.handleInto` as one v1 datagram, so the core's
 * rules (UTF-8, sizes, flood control, rate limits, moderation, presence, history) hold for these clients
 * exactly as for UDP ones; its end is a departure (`Relay.disconnectInto`). A WebSocket client that asked
 * for acknowledgements learns, per message, that the relay handled it, and whether the core refused or
 * dropped it (docs/PROTOCOL.md, "Acknowledgements").
 */
import { encodeLine } from '../protocol/codec.ts';
import { MAX_STREAM_LINE_BYTES } from '../protocol/limits.ts';
import * as wire from '../protocol/messages.ts';
import type { RelayEvent, RelaySink } from '../relay/output.ts';
import type { Relay } from '../relay/relay.ts';
import type { StreamAcceptor, StreamConnection, StreamHandler } from '../transport/stream-connection.ts';
import { StreamPeer } from './stream-peer.ts';

/** What the gateway needs of the assembled relay: one call into the core at a time, and the event log. */
export interface StreamCore {
  readonly relay: Relay;
  /** Runs `call` now and sends what it produced; `watch` sees the events of that call. */
  run(call: (now: number, sink: RelaySink) => void, watch?: (event: RelayEvent) => void): void;
  /** An event the binding itself decided (a refused overlong line), for logs and metrics. */
  event(event: RelayEvent): void;
}

/**
 * When an acknowledgement may leave. Today at once, after the core handled the message; a store that
 * commits history behind the core (write-behind) plugs in here so the ack follows the commit instead.
 */
export type AckGate = (peer: StreamPeer, acknowledge: () => void) => void;

const OVERLONG_NOTICE = encodeLine(wire.streamLineTooLong(MAX_STREAM_LINE_BYTES));

const AT_ONCE: AckGate = (_peer, acknowledge) => acknowledge();

export class StreamGateway {
  private serial = 0;

  constructor(
    private readonly core: StreamCore,
    private readonly ackGate: AckGate = AT_ONCE,
  ) {}

  readonly accept: StreamAcceptor = (connection) => this.open(connection);

  private open(connection: StreamConnection): StreamHandler {
    const peer = new StreamPeer(connection, ++this.serial);
    return {
      received: (bytes, ackId) => this.received(peer, bytes, ackId),
      overlong: () => this.overlong(peer),
      ended: () => this.core.run((now, sink) => this.core.relay.disconnectInto(now, peer, sink)),
    };
  }

  private received(peer: StreamPeer, bytes: Uint8Array, ackId: number | null): void {
    if (ackId === null) {
      this.core.run((now, sink) => this.core.relay.handleInto(now, peer, bytes, sink));
      return;
    }
    let refusal: string | null = null;
    this.core.run(
      (now, sink) => this.core.relay.handleInto(now, peer, bytes, sink),
      (event) => {
        if ((event.type === 'refused' || event.type === 'ignored') && event.address === peer)
          refusal ??= event.reason;
      },
    );
    this.ackGate(peer, () => peer.connection.acknowledge(ackId, refusal));
  }

  /** The framer refused a line before the core saw it: said once to the client, like any refusal. */
  private overlong(peer: StreamPeer): void {
    this.core.event({ type: 'refused', address: peer, reason: 'line-too-long' });
    peer.connection.write(OVERLONG_NOTICE);
  }
}
