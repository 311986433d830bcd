/**
 * The LAN binding's socket: one node:dgram socket joined to an IPv4 multicast group, sending to that group.
 * Bytes in, bytes out; lan/LanPeer decides what they mean. A send never throws: failures are counted, as
 * the relay's UdpEndpoint does.
 *
 * - Bound to the group's own address and port (the listen group's, when it hears another one) with
 *   SO_REUSEADDR, so several chat processes on one host share the port, and (Linux) a socket bound to
 *   the group gets only that group's datagrams: a wildcard bind would also be handed other groups'
 *   traffic on the same port.
 * - IP_MULTICAST_IF (`--interface`) picks the interface for sending and for the membership; without it the
 *   kernel uses its route for the group. IP_MULTICAST_TTL (`--ttl`, default 1: the datagrams never leave
 *   the LAN, RFC 1112 section 6.1). IP_MULTICAST_LOOP on, so other chat processes on this host hear us;
 *   LanPeer drops its own looped-back datagrams by sender id.
 */

import dgram from 'node:dgram';
import { isIP } from 'node:net';
import { type Address, addressKey } from '../protocol/address.ts';
import { SendTally } from './send-tally.ts';
import type { TraceSink } from './trace-sink.ts';
import { noTransportStats, type TransportStats } from './transport-stats.ts';

export interface MulticastSocketOptions {
  /** An IPv4 multicast address (224.0.0.0/4) and its port: where every datagram is sent. */
  readonly group: Address;
  /**
   * The group joined and heard, when it is not `group`: a peer behind `udpchat chaos --multicast` sends to
   * the group the proxy hears and hears only the proxy's faulted copies, on another group or port.
   */
  readonly listenGroup?: Address;
  /** The local IPv4 address of the interface to use (IP_MULTICAST_IF), or null for the kernel's choice. */
  readonly interfaceAddress: string | null;
  /** IP_MULTICAST_TTL, 0-255: 0 stays on this host, 1 on the link. */
  readonly ttl: number;
  readonly trace?: TraceSink;
}

export type MulticastHandler = (from: Address, bytes: Uint8Array) => void;

/** Whether `host` is an IPv4 multicast address (224.0.0.0 to 239.255.255.255, RFC 5771). */
export function isIpv4Multicast(host: string): boolean {
  if (isIP(host) !== 4) return false;
  const first = Number(host.split('.')[0]);
  return first >= 224 && first <= 239;
}

/** Destinations are always the group's IP literal: answer at once instead of a DNS step per send. */
const literalLookup = (
  hostname: string,
  _options: unknown,
  callback: (error: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void => {
  callback(null, hostname, 4);
};

export class MulticastSocket {
  private readonly counters: TransportStats = noTransportStats();
  private handler: MulticastHandler = () => {};
  private readonly sends = new SendTally(this.counters);
  private closed = false;

  private constructor(
    private readonly socket: dgram.Socket,
    readonly group: Address,
    readonly local: Address,
    private readonly trace: TraceSink | undefined,
  ) {
    socket.on('message', (msg, rinfo) => this.receive(msg, { host: rinfo.address, port: rinfo.port }));
    socket.on('error', () => {
      this.counters.sendErrors++;
    });
  }

  /** Binds, joins the group and sets the multicast options; rejects with the system's error otherwise. */
  static async open(options: MulticastSocketOptions): Promise<MulticastSocket> {
    const { group, interfaceAddress, ttl } = options;
    const heard = options.listenGroup ?? group;
    for (const { host } of [group, heard])
      if (!isIpv4Multicast(host)) throw new RangeError(`not an IPv4 multicast group: ${host}`);
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true, lookup: literalLookup });
    try {
      await bind(socket, heard);
      socket.addMembership(heard.host, interfaceAddress ?? undefined);
      if (interfaceAddress !== null) socket.setMulticastInterface(interfaceAddress);
      socket.setMulticastTTL(ttl);
      socket.setMulticastLoopback(true);
    } catch (error) {
      socket.close();
      throw error;
    }
    const bound = socket.address();
    return new MulticastSocket(socket, group, { host: bound.address, port: bound.port }, options.trace);
  }

  get label(): string {
    return addressKey(this.group);
  }

  get stats(): Readonly<TransportStats> {
    return { ...this.counters };
  }

  onDatagram(handler: MulticastHandler): void {
    this.handler = handler;
  }

  /** One datagram to the group. */
  send(bytes: Uint8Array): void {
    if (this.closed) return;
    this.trace?.('out', this.group, bytes);
    this.sends.started();
    this.socket.send(bytes, this.group.port, this.group.host, (error) =>
      this.sends.done(error, bytes.byteLength),
    );
  }

  /** Resolves once every send so far has left (a leave before close). */
  flush(): Promise<void> {
    return this.sends.flush();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private receive(msg: Buffer, from: Address): void {
    this.counters.datagramsIn++;
    this.counters.bytesIn += msg.byteLength;
    this.trace?.('in', from, msg);
    this.handler(from, new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength));
  }
}

function bind(socket: dgram.Socket, group: Address): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    socket.once('error', onError);
    socket.bind(group.port, group.host, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}
