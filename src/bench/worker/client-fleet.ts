/**
 * A worker's client sockets through node:dgram (the fallback when the addon's receive is unavailable): one
 * UDP socket per bench client, bound to the client's source address and
 * connect()ed to the relay. A connected socket sends with no per-datagram address handling (no look-up,
 * no address conversion) and the kernel delivers it only the relay's datagrams.
 */
import dgram from 'node:dgram';
import type { WorkerSetup } from '../messages.ts';
import { sourceHost } from '../model/plan.ts';
import { openInBatches, SocketFleet } from './fleet.ts';

/** Sockets opened concurrently: each bind and connect is a round trip through the event loop. */
const OPEN_BATCH = 500;

export class ClientFleet extends SocketFleet<dgram.Socket> {
  static async open(setup: WorkerSetup): Promise<ClientFleet> {
    const fleet = new ClientFleet();
    await openInBatches(setup.clientCount, OPEN_BATCH, (local) => fleet.openOne(setup, local), fleet.sockets);
    return fleet;
  }

  /** Sends on client `local`'s socket; a failure (full buffer, relay gone) is counted, never thrown. */
  send(local: number, payload: string | Buffer): void {
    const socket = this.sockets[local];
    if (socket === undefined) return;
    try {
      socket.send(payload);
    } catch {
      this.sendErrors++;
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  private async openOne(setup: WorkerSetup, local: number): Promise<dgram.Socket> {
    const socket = await openClientSocket(setup, local);
    // Without a callback, an asynchronous send failure (ECONNREFUSED once the relay is gone) is an event.
    socket.on('error', () => {
      this.sendErrors++;
    });
    socket.on('message', (bytes) => this.handler(local, bytes));
    return socket;
  }
}

/**
 * Client `local`'s UDP socket, bound to its source address and connect()ed to the relay (shared with the
 * protected-v2 fleet, whose clients speak through the same kind of socket).
 */
export async function openClientSocket(setup: WorkerSetup, local: number): Promise<dgram.Socket> {
  const socket = dgram.createSocket({
    type: 'udp4',
    ...(setup.recvBufferSize > 0 ? { recvBufferSize: setup.recvBufferSize } : {}),
  });
  const host = sourceHost(setup.firstClient + local, setup.perAddress, setup.loopback);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: host, port: 0 }, () => {
      // The relay address is an IP literal, so connect()'s one look-up answers without the resolver.
      socket.connect(setup.relayPort, setup.relayHost, () => {
        socket.off('error', reject);
        resolve();
      });
    });
  });
  return socket;
}
