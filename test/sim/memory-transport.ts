/**
 * The relay's DatagramTransport on the simulated network: what UdpEndpoint is over node:dgram, with the
 * same counting and the same promises (no send throws; port 0 and a closed transport are send errors).
 * It batches "natively" when asked, so the router's batched fan-out path runs here too.
 */
import { type Address, isReplyable } from '../../src/protocol/address.ts';
import type { DatagramHandler, DatagramTransport } from '../../src/transport/datagram-transport.ts';
import { noTransportStats, type TransportStats } from '../../src/transport/transport-stats.ts';
import type { SimNetwork } from './sim-network.ts';

export class MemoryTransport implements DatagramTransport {
  readonly local: Address;
  private readonly counters: TransportStats = noTransportStats();
  private handler: DatagramHandler = () => {};
  private closed = false;

  constructor(
    private readonly network: SimNetwork,
    at: Address,
    readonly batchesNatively = false,
  ) {
    this.local = network.bind(at.host, at.port, (from, bytes) => this.receive(from, bytes));
  }

  get stats(): TransportStats {
    return { ...this.counters };
  }

  onDatagram(handler: DatagramHandler): void {
    this.handler = handler;
  }

  send(to: Address, payload: Uint8Array): void {
    this.sendUnawaited(to, payload);
  }

  sendUnawaited(to: Address, payload: Uint8Array): void {
    if (this.closed || !isReplyable(to)) {
      this.counters.sendErrors++;
      return;
    }
    this.counters.datagramsOut++;
    this.counters.bytesOut += payload.byteLength;
    this.network.send(this.local, to, payload);
  }

  sendBatch(to: readonly Address[], payloads: readonly Uint8Array[], count: number): void {
    for (let i = 0; i < count; i++) this.sendUnawaited(to[i] as Address, payloads[i] as Uint8Array);
  }

  /** Every send is on the wire the moment it is made. */
  flush(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.network.unbind(this.local);
  }

  private receive(from: Address, bytes: Uint8Array): void {
    if (this.closed) return;
    this.counters.datagramsIn++;
    this.counters.bytesIn += bytes.byteLength;
    this.handler(from, bytes);
  }
}
