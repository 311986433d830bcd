/**
 * The client's link to one relay over UDP: the relay's host resolved once (host-resolver.ts), an
 * ephemeral socket of the matching family (udp.ts), and a source filter so only the relay's datagrams get
 * through. `udpTransport` is ChatClient's default ClientTransport.
 */
import { BlockList, isIP } from 'node:net';
import { type Address, addressKey } from '../protocol/address.ts';
import { resolveRelayHost } from './host-resolver.ts';
import type { ClientTransport, DatagramLink, LinkRequest, ReceiveHandler } from './relay-link.ts';
import type { TraceSink } from './trace-sink.ts';
import type { TransportStats } from './transport-stats.ts';
import { UdpEndpoint } from './udp.ts';

export class UdpLink implements DatagramLink {
  readonly kind = 'datagram';
  readonly carriesV2 = true;
  readonly label: string;
  private handler: ReceiveHandler = () => {};
  private closed = false;
  /** The relay's IP in every spelling the kernel may report it in. */
  private readonly relayHost: BlockList;

  private constructor(
    private endpoint: UdpEndpoint,
    /** The relay's resolved address: the only source whose datagrams are accepted. */
    readonly remote: Address,
    private readonly trace: TraceSink | undefined,
  ) {
    this.label = addressKey(remote);
    this.relayHost = hostMatcher(remote.host);
    this.listen(endpoint);
  }

  /** Resolves the relay's host and binds an ephemeral socket of its family (IPv6 for an IPv6 relay). */
  static async open(request: LinkRequest): Promise<UdpLink> {
    const host = await resolveRelayHost(request.target.host, request.resolveHost);
    const endpoint = await UdpEndpoint.bind({
      host: isIP(host) === 6 ? '::' : '0.0.0.0',
      port: 0,
      ...(request.trace ? { trace: request.trace } : {}),
    });
    return new UdpLink(endpoint, { host, port: request.target.port }, request.trace);
  }

  get local(): Address {
    return this.endpoint.local;
  }

  get stats(): Readonly<TransportStats> {
    return this.endpoint.stats;
  }

  onReceive(handler: ReceiveHandler): void {
    this.handler = handler;
  }

  send(bytes: Uint8Array): void {
    this.endpoint.send(this.remote, bytes);
  }

  flush(): Promise<void> {
    return this.endpoint.flush();
  }

  async rebind(): Promise<void> {
    if (this.closed) return;
    const old = this.endpoint;
    const next = await UdpEndpoint.bind({
      host: old.local.host,
      port: 0,
      ...(this.trace ? { trace: this.trace } : {}),
    });
    if (this.closed) {
      await next.close();
      return;
    }
    this.endpoint = next;
    this.listen(next);
    await old.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.endpoint.close();
  }

  private listen(endpoint: UdpEndpoint): void {
    endpoint.onDatagram((from, bytes) => this.receive(from, bytes));
  }

  private receive(from: Address, bytes: Uint8Array): void {
    // The client talks to one relay; anything else on our port is noise or a spoofing attempt.
    if (
      this.closed ||
      from.port !== this.remote.port ||
      !this.relayHost.check(from.host, familyOf(from.host))
    )
      return;
    this.handler(bytes);
  }
}

/** UDP to one relay, resolved with the system's resolver unless the ClientTransport names another. */
export const udpTransport: ClientTransport = { factory: (request) => UdpLink.open(request) };

/**
 * Matches the relay's IP in any spelling: the kernel reports `::1` for a relay given as `0:0:0:0:0:0:0:1`,
 * and IPv4-mapped IPv6 addresses have two spellings.
 */
function hostMatcher(host: string): BlockList {
  const matcher = new BlockList();
  matcher.addAddress(host, familyOf(host));
  return matcher;
}

function familyOf(host: string): 'ipv4' | 'ipv6' {
  return isIP(host) === 6 ? 'ipv6' : 'ipv4';
}
