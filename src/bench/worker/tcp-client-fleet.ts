/**
 * A worker's bench clients over TCP (`bench --transport tcp`): one connection per client to the relay's
 * --tcp-port, from the client's source address, Nagle off as on the relay's side. Each line the relay
 * sends is handed on alone, with its `\n`, as a datagram would be, however TCP split or merged them.
 */
import net from 'node:net';
import { MAX_STREAM_LINE_BYTES } from '../../protocol/limits.ts';
import { LineFramer } from '../../transport/line-framer.ts';
import type { WorkerSetup } from '../messages.ts';
import { sourceHost } from '../model/plan.ts';
import { openInBatches, SocketFleet } from './fleet.ts';

/** Connections opened concurrently: each is a handshake through the event loop. */
const OPEN_BATCH = 200;

export class TcpClientFleet extends SocketFleet<net.Socket> {
  static async open(setup: WorkerSetup): Promise<TcpClientFleet> {
    const fleet = new TcpClientFleet();
    await openInBatches(setup.clientCount, OPEN_BATCH, (local) => fleet.openOne(setup, local), fleet.sockets);
    return fleet;
  }

  send(local: number, payload: string | Buffer): void {
    const socket = this.sockets[local];
    if (socket === undefined || socket.destroyed) {
      this.sendErrors++;
      return;
    }
    socket.write(payload);
  }

  async close(): Promise<void> {
    await Promise.all(
      this.sockets.map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.destroyed) resolve();
            else socket.once('close', () => resolve()).end();
          }),
      ),
    );
  }

  private openOne(setup: WorkerSetup, local: number): Promise<net.Socket> {
    const framer = new LineFramer(MAX_STREAM_LINE_BYTES);
    const out = {
      line: (line: Uint8Array) => {
        const bytes = Buffer.allocUnsafe(line.length + 1);
        bytes.set(line);
        bytes[line.length] = 0x0a;
        this.handler(local, bytes);
      },
      overlong: () => {
        this.sendErrors++;
      },
    };
    return new Promise((resolve, reject) => {
      const socket = net.connect({
        host: setup.relayHost,
        port: setup.relayPort,
        localAddress: sourceHost(setup.firstClient + local, setup.perAddress, setup.loopback),
        noDelay: true,
      });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.on('error', () => {
          this.sendErrors++;
        });
        socket.on('data', (chunk: Buffer) => framer.feed(chunk, out));
        resolve(socket);
      });
    });
  }
}
