/**
 * A worker's bench clients over WebSocket (`bench --transport ws`): one `ws` connection per client to the
 * relay's --web listener, subprotocol udpchat-v1 (plain lines, one per message, no acknowledgements). Each
 * message is handed on with a `\n`, as a datagram would be; each send is one line, as a browser's is.
 */
import WebSocket from 'ws';
import { WEB_PROTOCOL } from '../../protocol/messages.ts';
import { WEB_SOCKET_PATH } from '../../transport/ws-server.ts';
import type { WorkerSetup } from '../messages.ts';
import { sourceHost } from '../model/plan.ts';
import { openInBatches, SocketFleet } from './fleet.ts';

const OPEN_BATCH = 200;
const NEWLINE = Buffer.from('\n');

export class WsClientFleet extends SocketFleet<WebSocket> {
  static async open(setup: WorkerSetup): Promise<WsClientFleet> {
    const fleet = new WsClientFleet();
    await openInBatches(setup.clientCount, OPEN_BATCH, (local) => fleet.openOne(setup, local), fleet.sockets);
    return fleet;
  }

  /** The fleet's payloads are one line each, ending `\n`: the message is the line without it. */
  send(local: number, payload: string | Buffer): void {
    const socket = this.sockets[local];
    if (socket === undefined || socket.readyState !== WebSocket.OPEN) {
      this.sendErrors++;
      return;
    }
    const text = typeof payload === 'string' ? payload : payload.toString('utf8');
    socket.send(text.endsWith('\n') ? text.slice(0, -1) : text);
  }

  async close(): Promise<void> {
    await Promise.all(
      this.sockets.map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === WebSocket.CLOSED) resolve();
            else {
              socket.once('close', () => resolve());
              socket.close(1000);
            }
          }),
      ),
    );
  }

  private openOne(setup: WorkerSetup, local: number): Promise<WebSocket> {
    const url = `ws://${setup.relayHost}:${setup.relayPort}${WEB_SOCKET_PATH}`;
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, [WEB_PROTOCOL], {
        perMessageDeflate: false,
        localAddress: sourceHost(setup.firstClient + local, setup.perAddress, setup.loopback),
      });
      socket.once('error', reject);
      socket.once('open', () => {
        socket.off('error', reject);
        socket.on('error', () => {
          this.sendErrors++;
        });
        socket.on('message', (data: Buffer) => this.handler(local, Buffer.concat([data, NEWLINE])));
        resolve(socket);
      });
    });
  }
}
