/**
 * A raw TCP peer for tests: what `nc` does. It writes bytes exactly as given (whole lines, pieces of
 * lines, several at once) and collects every line it receives, without its `\n`, so a test can await one.
 */
import net from 'node:net';
import { Collector, type WaitOptions } from '../e2e/support/collector.ts';

export class TcpPeer {
  readonly lines = new Collector<string>('tcp peer');
  /** Resolves when the relay closed the connection (FIN or reset). */
  readonly closed: Promise<void>;
  private partial = '';

  private constructor(readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => this.received(text));
    socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.lines.end('connection closed');
        resolve();
      }),
    );
  }

  static connect(port: number, host = '127.0.0.1', localAddress?: string): Promise<TcpPeer> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host, noDelay: true, ...(localAddress ? { localAddress } : {}) });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new TcpPeer(socket));
      });
    });
  }

  write(bytes: string | Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Awaits a received line equal to `line` (without its newline). */
  expect(line: string, options: WaitOptions = {}): Promise<string> {
    return this.lines.waitFor((item) => item === line, { what: JSON.stringify(line), ...options });
  }

  /** Joins as `nick` and awaits the welcome. */
  async join(nick: string): Promise<void> {
    this.write(`/join ${nick}\n`);
    await this.expect(`*** welcome, ${nick} ***`);
  }

  close(): void {
    this.socket.destroy();
  }

  private received(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.lines.push(line);
  }
}
