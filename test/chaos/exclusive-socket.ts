/**
 * A test's own UDP socket on 127.0.0.1, bound WITHOUT SO_REUSEADDR. UdpEndpoint sets SO_REUSEADDR, and
 * Linux then lets an autobound port 0 land on a port another such socket holds, so two test sockets (or a
 * test socket and a proxy mapping) could share a port and steal each other's datagrams. A socket without
 * the flag is never shared, which keeps these tests deterministic.
 */
import dgram from 'node:dgram';
import type { Address } from '../../src/protocol/address.ts';

export type Handler = (from: Address, bytes: Uint8Array) => void;

export class ExclusiveSocket {
  private handler: Handler = () => {};

  private constructor(
    private readonly socket: dgram.Socket,
    readonly local: Address,
  ) {
    socket.on('message', (msg, rinfo) => this.handler({ host: rinfo.address, port: rinfo.port }, msg));
  }

  static async bind(): Promise<ExclusiveSocket> {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new ExclusiveSocket(socket, { host: '127.0.0.1', port: socket.address().port });
  }

  onDatagram(handler: Handler): void {
    this.handler = handler;
  }

  send(to: Address, bytes: Uint8Array): void {
    this.socket.send(bytes, to.port, to.host);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
