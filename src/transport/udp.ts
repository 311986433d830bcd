/**
 * The UDP binding: the only file that touches node:dgram. Bytes in, bytes out, nothing else; the protocol
 * cores decide what the bytes mean. A send never throws: failures (port 0, unreachable peer, full buffer)
 * are counted, as the seed's pitfall "Assuming sendto always succeeds" asks.
 */
import dgram from 'node:dgram';
import { isIP } from 'node:net';
import type { Address } from '../protocol/address.ts';
import { isReplyable } from '../protocol/address.ts';
import type { TraceDirection } from '../protocol/trace-format.ts';

export type DatagramHandler = (from: Address, bytes: Uint8Array) => void;
export type TraceSink = (direction: TraceDirection, peer: Address, bytes: Uint8Array) => void;

export interface UdpBindOptions {
  /** Local address to bind; an IPv6 literal selects an IPv6 socket. */
  readonly host: string;
  /** Local port; 0 lets the kernel choose. */
  readonly port: number;
  readonly trace?: TraceSink;
  readonly recvBufferSize?: number;
  readonly sendBufferSize?: number;
}

export interface UdpStats {
  datagramsIn: number;
  bytesIn: number;
  datagramsOut: number;
  bytesOut: number;
  sendErrors: number;
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

export class UdpEndpoint {
  readonly stats: UdpStats = { datagramsIn: 0, bytesIn: 0, datagramsOut: 0, bytesOut: 0, sendErrors: 0 };
  private handler: DatagramHandler = () => {};
  private pendingSends = 0;
  private drained: (() => void)[] = [];
  private closed = false;

  private constructor(
    private readonly socket: dgram.Socket,
    readonly local: Address,
    private readonly trace: TraceSink | undefined,
  ) {
    socket.on('message', (msg, rinfo) => this.receive(msg, { host: rinfo.address, port: rinfo.port }));
    // An ICMP error surfaces here on some platforms; it is a peer's problem, never the relay's.
    socket.on('error', () => {
      this.stats.sendErrors++;
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
    return new UdpEndpoint(socket, { host: bound.address, port: bound.port }, options.trace);
  }

  onDatagram(handler: DatagramHandler): void {
    this.handler = handler;
  }

  send(to: Address, payload: Uint8Array): void {
    if (!this.maySend(to, payload)) return;
    this.pendingSends++;
    try {
      this.socket.send(payload, to.port, to.host, (error) => this.sent(error, payload.byteLength));
    } catch {
      this.sent(new Error('send failed'), 0);
    }
  }

  /**
   * Fire and forget, for the relay's fan-out: no completion callback per datagram (that closure and its
   * bookkeeping are measurable at 100,000 sends a second). A failure surfaces as the socket's 'error'
   * event and is counted there; `flush()` does not wait for these sends.
   */
  sendFast(to: Address, payload: Uint8Array): void {
    if (!this.maySend(to, payload)) return;
    this.stats.datagramsOut++;
    this.stats.bytesOut += payload.byteLength;
    try {
      this.socket.send(payload, to.port, to.host);
    } catch {
      this.stats.sendErrors++;
    }
  }

  /** Checks shared by both sends: never after close, never to port 0 (counted as an error); traced. */
  private maySend(to: Address, payload: Uint8Array): boolean {
    if (this.closed) return false;
    if (!isReplyable(to)) {
      this.stats.sendErrors++;
      return false;
    }
    this.trace?.('out', to, payload);
    return true;
  }

  /** Resolves when every `send` issued so far has been handed to the kernel (or failed). */
  flush(): Promise<void> {
    if (this.pendingSends === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private receive(msg: Buffer, from: Address): void {
    this.stats.datagramsIn++;
    this.stats.bytesIn += msg.byteLength;
    this.trace?.('in', from, msg);
    this.handler(from, msg);
  }

  private sent(error: Error | null | undefined, bytes: number): void {
    this.pendingSends--;
    if (error) this.stats.sendErrors++;
    else {
      this.stats.datagramsOut++;
      this.stats.bytesOut += bytes;
    }
    if (this.pendingSends === 0) for (const resolve of this.drained.splice(0)) resolve();
  }
}
