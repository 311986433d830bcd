/**
 * ChatClient's link on the simulated network, and the ClientTransport that makes it: the seam ChatClient
 * is built on, driven with no socket. The factory resolves the relay's host with the injected resolver
 * through the same policy as UDP (resolveRelayHost), binds an ephemeral port on its client's host, and
 * hands on only the relay's datagrams. rebind() takes a new port at once, as a NAT rebinding would.
 * A `stream` link is the same network seen as a TCP-like pipe: no v2, no rebind (it is not lossless;
 * tests that use it keep its path clean).
 */
import { type Address, addressKey } from '../../src/protocol/address.ts';
import { type HostResolver, resolveRelayHost } from '../../src/transport/host-resolver.ts';
import type {
  ClientTransport,
  DatagramLink,
  LinkRequest,
  ReceiveHandler,
  StreamLink,
} from '../../src/transport/relay-link.ts';
import { noTransportStats, type TransportStats } from '../../src/transport/transport-stats.ts';
import type { SimNetwork } from './sim-network.ts';

class MemoryLinkBase {
  readonly label: string;
  protected current: Address;
  protected closed = false;
  private handler: ReceiveHandler = () => {};
  private readonly counters: TransportStats = noTransportStats();

  constructor(
    protected readonly network: SimNetwork,
    private readonly host: string,
    readonly remote: Address,
  ) {
    this.label = addressKey(remote);
    this.current = this.bindPort();
  }

  get local(): Address {
    return this.current;
  }

  get stats(): TransportStats {
    return { ...this.counters };
  }

  onReceive(handler: ReceiveHandler): void {
    this.handler = handler;
  }

  send(bytes: Uint8Array): void {
    if (this.closed) return;
    this.counters.datagramsOut++;
    this.counters.bytesOut += bytes.byteLength;
    this.network.send(this.current, this.remote, bytes);
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.network.unbind(this.current);
  }

  protected bindPort(): Address {
    return this.network.bind(this.host, 0, (from, bytes) => this.receive(from, bytes));
  }

  private receive(from: Address, bytes: Uint8Array): void {
    this.counters.datagramsIn++;
    this.counters.bytesIn += bytes.byteLength;
    if (this.closed || from.host !== this.remote.host || from.port !== this.remote.port) return;
    this.handler(bytes);
  }
}

export class MemoryDatagramLink extends MemoryLinkBase implements DatagramLink {
  readonly kind = 'datagram';
  readonly carriesV2 = true;

  /** Synchronous underneath, so a simulation event can move the client between two datagrams. */
  async rebind(): Promise<void> {
    if (this.closed) return;
    const old = this.current;
    this.current = this.bindPort();
    this.network.unbind(old);
  }
}

export class MemoryStreamLink extends MemoryLinkBase implements StreamLink {
  readonly kind = 'stream';
  readonly carriesV2 = false;
}

/** Host names of the simulated network, answered from a table (an unknown name is ENOTFOUND). */
export function tableResolver(names: ReadonlyMap<string, string>): HostResolver {
  return async (host) => {
    const address = names.get(host);
    if (address === undefined) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
    return [{ address, family: 4 }];
  };
}

/** A ClientTransport whose links live on `host` of `network`, of the given kind. */
export function memoryTransport(
  network: SimNetwork,
  host: string,
  resolveHost: HostResolver,
  kind: 'datagram' | 'stream' = 'datagram',
): ClientTransport {
  return {
    resolveHost,
    factory: async (request: LinkRequest) => {
      const relay = await resolveRelayHost(request.target.host, request.resolveHost);
      const remote = { host: relay, port: request.target.port };
      return kind === 'datagram'
        ? new MemoryDatagramLink(network, host, remote)
        : new MemoryStreamLink(network, host, remote);
    },
  };
}
