/** A WebSocket peer for tests, with the `ws` package (Node 20 has no WebSocket): messages collected as text. */
import WebSocket from 'ws';
import { Collector, type WaitOptions } from '../e2e/support/collector.ts';

export class WsPeer {
  readonly messages = new Collector<string>('ws peer');
  readonly closed: Promise<number>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.messages.push(data.toString());
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code) => {
        this.messages.end('connection closed');
        resolve(code);
      }),
    );
  }

  /** Opens `url` with these subprotocols and Origin; rejects with the HTTP status when refused. */
  static open(url: string, protocols: string[], origin?: string): Promise<WsPeer> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, protocols, origin === undefined ? {} : { origin });
      socket.once('unexpected-response', (_request, response) =>
        reject(new Error(`refused: ${response.statusCode}`)),
      );
      socket.once('error', reject);
      socket.once('open', () => {
        socket.off('error', reject);
        socket.on('error', () => {});
        resolve(new WsPeer(socket));
      });
    });
  }

  send(text: string | Uint8Array): void {
    this.socket.send(text);
  }

  expect(text: string, options: WaitOptions = {}): Promise<string> {
    return this.messages.waitFor((item) => item === text, { what: JSON.stringify(text), ...options });
  }

  close(): void {
    this.socket.terminate();
  }
}
