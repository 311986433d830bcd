/**
 * The client's side of a transport: one link to one relay (or one group), as nats.js installs its
 * transport with `setTransportFactory({ factory, dnsResolveFn })`. ChatClient asks a ClientTransport's
 * factory for a connected link and then only moves bytes through it; which transport it is (UDP now, TCP,
 * WebSocket or a multicast group next) is the link's business, and nothing in ChatClient changes with it.
 *
 * Two kinds, because the line protocol rides both and v2 only one:
 * - `datagram`: each `send` is one datagram and each received unit is one datagram (UDP, a multicast group).
 *   It can `rebind` to a new local port. It carries v2 when it talks to a single relay (`carriesV2`).
 * - `stream`: a byte stream the link frames into lines (TCP with `\n` framing, WebSocket messages). It is
 *   already reliable and ordered, so v2 (which brings its own reliability over datagrams) never rides it.
 */
import type { Address } from '../protocol/address.ts';
import type { HostResolver } from './host-resolver.ts';
import type { TraceSink } from './trace-sink.ts';
import type { TransportStats } from './transport-stats.ts';

/** The relay as the user named it: a host name or an IP literal, and a port. */
export interface RelayTarget {
  readonly host: string;
  readonly port: number;
}

/** One unit of the relay's bytes: a datagram, or (stream links) one or more whole lines, each ending `\n`. */
export type ReceiveHandler = (bytes: Uint8Array) => void;

interface LinkBase {
  /** Where our bytes go, as resolved: the relay, or the group. */
  readonly remote: Address;
  /** How messages name the other end (`127.0.0.1:7000`, a group, a URL). */
  readonly label: string;
  /** Our end of the link (for a datagram link, the current local port). */
  readonly local: Address;
  /** Bytes and units in and out so far, on the current local end. */
  readonly stats: Readonly<TransportStats>;
  /**
   * The one receiver of what the other end sends; a later call replaces it. Only the relay's (or the
   * group's) bytes are handed on: anything else reaching our port is dropped inside the link.
   */
  onReceive(handler: ReceiveHandler): void;
  /** One datagram's worth of bytes as ClientSession built it (one or more whole lines, or a v2 datagram). */
  send(bytes: Uint8Array): void;
  /** Resolves when everything sent so far has been handed to the operating system (or failed). */
  flush(): Promise<void>;
  /** Stops receiving and sending; idempotent. No handler call follows. */
  close(): Promise<void>;
}

export interface DatagramLink extends LinkBase {
  readonly kind: 'datagram';
  /** v2 needs one relay that validates our address; a multicast group has none. */
  readonly carriesV2: boolean;
  /**
   * Moves to a new local port, as when a NAT rebinds or the network changes (`local` changes). Over v2 the
   * session carries on; over v1 the relay sees a stranger and asks it to join again.
   */
  rebind(): Promise<void>;
}

export interface StreamLink extends LinkBase {
  readonly kind: 'stream';
  readonly carriesV2: false;
}

export type RelayLink = DatagramLink | StreamLink;

/** What a factory is given: where to connect, how to resolve a host name, and who watches the bytes. */
export interface LinkRequest {
  readonly target: RelayTarget;
  readonly resolveHost: HostResolver;
  readonly trace?: TraceSink;
}

/** Connects; rejects with a message naming the host when it cannot (resolution, bind, connect). */
export type RelayLinkFactory = (request: LinkRequest) => Promise<RelayLink>;

/** A transport for ChatClient: the link factory and, optionally, its resolver (default: the system's). */
export interface ClientTransport {
  readonly factory: RelayLinkFactory;
  readonly resolveHost?: HostResolver;
}
