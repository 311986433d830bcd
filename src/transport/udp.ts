/**
 * The UDP binding, the relay's DatagramTransport over node:dgram (udp-link.ts builds the client's link on
 * it). Bytes in, bytes out, nothing else; the protocol cores decide what the bytes mean. A send never
 * throws: failures (port 0, unreachable peer, full buffer) are counted, as the seed's pitfall "Assuming
 * sendto always succeeds" asks.
 */

import dgram from 'node:dgram';
import { isIP } from 'node:net';
import type { Address } from '../protocol/address.ts';
import { isReplyable } from '../protocol/address.ts';
import { AddressPacker } from './address-packer.ts';
import type { DatagramHandler, DatagramTransport } from './datagram-transport.ts';
import { type NativeSendAddon, nativeSendAddon, socketFd } from './native-send.ts';
import { SendTally } from './send-tally.ts';
import { SenderThreads } from './sender-threads.ts';
import type { TraceSink } from './trace-sink.ts';
import { noTransportStats, type TransportStats } from './transport-stats.ts';

export interface UdpBindOptions {
  /** Local address to bind; an IPv6 literal selects an IPv6 socket. */
  readonly host: string;
  /** Local port; 0 lets the kernel choose. */
  readonly port: number;
  readonly trace?: TraceSink;
  readonly recvBufferSize?: number;
  readonly sendBufferSize?: number;
  /** The sendmmsg addon for `sendBatch`; omitted, the built one if any (null: always the JavaScript path). */
  readonly native?: NativeSendAddon | null;
  /**
   * Sender threads (the addon's `startSendThreads`): every send is handed to one of this many threads, so
   * the kernel's work per datagram runs beside the event loop. 0 or omitted: sends on the event loop.
   * Without the addon the endpoint sends on the event loop (see `sendThreads`).
   */
  readonly sendThreads?: number;
}

/**
 * node:dgram resolves the destination of every send through `lookup` (a DNS step) unless the socket has its
 * own. Our destinations are always IP literals, so this answers at once without touching the resolver.
 */
type LookupOne = (
  hostname: string,
  options: unknown,
  callback: (error: NodeJS.ErrnoException | null, address: string, family: number) => void,
) => void;
const literalLookup: LookupOne = (hostname, _options, callback) => {
  const family = isIP(hostname);
  if (family === 0) callback(new Error(`not an IP address: ${hostname}`), '', 0);
  else callback(null, hostname, family);
};

export class UdpEndpoint implements DatagramTransport {
  /** What the event loop's own sends and receives did; the sender threads' part is added by `stats`. */
  private readonly counters: TransportStats = noTransportStats();
  private handler: DatagramHandler = () => {};
  private readonly sends = new SendTally(this.counters);
  private closed = false;
  /** `sendBatch`'s reused state: the packed addresses and payloads handed to the addon. */
  private batchAddresses: Buffer = Buffer.alloc(0);
  /** One packed address, for a single datagram to the sender threads. */
  private readonly oneAddress: Buffer;
  private readonly batchPayloads: Uint8Array[] = [];
  private readonly batchTo: Address[] = [];
  private threads: SenderThreads | null = null;

  private constructor(
    private readonly socket: dgram.Socket,
    readonly local: Address,
    private readonly trace: TraceSink | undefined,
    private readonly native: {
      readonly addon: NativeSendAddon;
      readonly fd: number;
      readonly packer: AddressPacker;
    } | null,
  ) {
    this.oneAddress = Buffer.alloc(native?.packer.size ?? 0);
    socket.on('message', (msg, rinfo) => this.receive(msg, { host: rinfo.address, port: rinfo.port }));
    // An ICMP error surfaces here on some platforms; it is a peer's problem, never the relay's.
    socket.on('error', () => {
      this.counters.sendErrors++;
    });
  }

  static async bind(options: UdpBindOptions): Promise<UdpEndpoint> {
    const type = isIP(options.host) === 6 ? 'udp6' : 'udp4';
    // No SO_REUSEADDR (the seed sets it): UDP has no TIME_WAIT to wait out, and on Linux the flag lets a
    // second socket share the port, so two relays would silently split the traffic (and a port-0 bind
    // could be handed a port another such socket holds). A second relay gets EADDRINUSE instead.
    const socket = dgram.createSocket({
      type,
      reuseAddr: false,
      lookup: literalLookup,
      ...(options.recvBufferSize ? { recvBufferSize: options.recvBufferSize } : {}),
      ...(options.sendBufferSize ? { sendBufferSize: options.sendBufferSize } : {}),
    });
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      socket.once('error', onError);
      socket.bind(options.port, options.host, () => {
        socket.off('error', onError);
        resolve();
      });
    });
    const bound = socket.address();
    const addon = options.native === undefined ? nativeSendAddon() : options.native;
    const fd = addon ? socketFd(socket) : null;
    const native =
      addon && fd !== null ? { addon, fd, packer: new AddressPacker(addon, type === 'udp6' ? 6 : 4) } : null;
    const endpoint = new UdpEndpoint(
      socket,
      { host: bound.address, port: bound.port },
      options.trace,
      native,
    );
    if (options.sendThreads && native !== null)
      endpoint.threads = SenderThreads.start(native.fd, options.sendThreads);
    return endpoint;
  }

  /** How many sender threads send for this endpoint: 0 when it sends on the event loop. */
  get sendThreads(): number {
    return this.threads?.count ?? 0;
  }

  /** Counters of datagrams and bytes in and out; with sender threads, as the threads have sent so far. */
  get stats(): TransportStats {
    if (this.threads === null) return { ...this.counters };
    const threads = this.threads.counters();
    return {
      ...this.counters,
      datagramsOut: this.counters.datagramsOut + threads.sent,
      bytesOut: this.counters.bytesOut + threads.bytes,
      sendErrors: this.counters.sendErrors + threads.errors,
    };
  }

  onDatagram(handler: DatagramHandler): void {
    this.handler = handler;
  }

  send(to: Address, payload: Uint8Array): void {
    if (!this.maySend(to, payload)) return;
    if (this.threads !== null && this.sendThreaded(to, payload)) return;
    this.sends.started();
    try {
      this.socket.send(payload, to.port, to.host, (error) => this.sends.done(error, payload.byteLength));
    } catch {
      this.sends.done(new Error('send failed'), 0);
    }
  }

  /**
   * Fire and forget, for the relay's fan-out: no completion callback per datagram (that closure and its
   * bookkeeping are measurable at 100,000 sends a second). A failure surfaces as the socket's 'error'
   * event and is counted there; `flush()` does not wait for these sends.
   */
  sendUnawaited(to: Address, payload: Uint8Array): void {
    if (!this.maySend(to, payload)) return;
    if (this.threads === null || !this.sendThreaded(to, payload)) this.sendViaSocket(to, payload);
  }

  /** One datagram to the sender threads; false when it cannot go that way (no packed form of `to`). */
  private sendThreaded(to: Address, payload: Uint8Array): boolean {
    const threads = this.threads as SenderThreads;
    const native = this.native as NonNullable<UdpEndpoint['native']>;
    if (!native.packer.packInto(this.oneAddress, 0, to)) return false;
    threads.send(payload, this.oneAddress, 1); // copied at once: oneAddress is free again
    return true;
  }

  /** Whether `sendBatch` uses the sendmmsg addon (else it is `sendUnawaited` per datagram). */
  get batchesNatively(): boolean {
    return this.native !== null;
  }

  /**
   * `sendUnawaited` for `count` datagrams (`payloads[i]` to `to[i]`), in order: with the sendmmsg addon, one
   * system call per 64 datagrams instead of one node:dgram send each. Whatever the kernel does not take
   * (a full send buffer, an error) goes through `sendUnawaited`'s path, as does everything while node:dgram
   * still has sends queued (so a destination's datagrams never overtake each other). Stats and trace as
   * for `sendUnawaited`.
   */
  sendBatch(to: readonly Address[], payloads: readonly Uint8Array[], count: number): void {
    const native = this.native;
    if (native === null || (this.threads === null && this.socket.getSendQueueCount() > 0)) {
      for (let i = 0; i < count; i++) this.sendUnawaited(to[i] as Address, payloads[i] as Uint8Array);
      return;
    }
    const size = native.addon.addressSize;
    let n = 0;
    for (let i = 0; i < count; i++) {
      const address = to[i] as Address;
      const payload = payloads[i] as Uint8Array;
      if (!this.maySend(address, payload)) continue;
      if (this.batchAddresses.byteLength < (n + 1) * size) {
        const grown = Buffer.alloc(Math.max(64, 2 * (n + 1)) * size);
        this.batchAddresses.copy(grown);
        this.batchAddresses = grown;
      }
      if (!native.packer.packInto(this.batchAddresses, n * size, address)) {
        this.sendViaSocket(address, payload); // e.g. a scoped IPv6 address: node:dgram knows how
        continue;
      }
      this.batchPayloads[n] = payload;
      this.batchTo[n] = address;
      n++;
    }
    if (n === 0) return;
    if (this.threads !== null) {
      // Counted by the threads as they send (see `stats`); a lane that is full drops and counts.
      this.threads.send(this.batchPayloads, this.batchAddresses, n);
      return;
    }
    const took = Math.max(0, native.addon.sendBatch(native.fd, this.batchPayloads, this.batchAddresses, n));
    this.counters.datagramsOut += took;
    for (let i = 0; i < took; i++) this.counters.bytesOut += (this.batchPayloads[i] as Uint8Array).byteLength;
    for (let i = took; i < n; i++)
      this.sendViaSocket(this.batchTo[i] as Address, this.batchPayloads[i] as Uint8Array);
  }

  /** One node:dgram send without a completion callback, after `maySend`: counted here, failures too. */
  private sendViaSocket(to: Address, payload: Uint8Array): void {
    this.counters.datagramsOut++;
    this.counters.bytesOut += payload.byteLength;
    try {
      this.socket.send(payload, to.port, to.host);
    } catch {
      this.counters.sendErrors++;
    }
  }

  /** Checks shared by both sends: never after close, never to port 0 (counted as an error); traced. */
  private maySend(to: Address, payload: Uint8Array): boolean {
    if (this.closed) return false;
    if (!isReplyable(to)) {
      this.counters.sendErrors++;
      return false;
    }
    this.trace?.('out', to, payload);
    return true;
  }

  /** Resolves when every `send` issued so far has been handed to the kernel (or failed). */
  flush(): Promise<void> {
    return this.sends.flush();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Before the socket closes: a thread must never write to a closed (or reused) descriptor.
    this.threads?.stop();
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private receive(msg: Buffer, from: Address): void {
    this.counters.datagramsIn++;
    this.counters.bytesIn += msg.byteLength;
    this.trace?.('in', from, msg);
    this.handler(from, msg);
  }
}
