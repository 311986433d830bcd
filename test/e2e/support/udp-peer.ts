/**
 * A raw UDP peer for end-to-end tests: it speaks the v1 lines exactly as the seed's chat.py puts them on the
 * wire (`/join <nick>\n`, `text\n`, `/ping\n`, `/leave\n`), so it stands in for a seed client, and it
 * collects every line it receives so a test can await one.
 */
import dgram from 'node:dgram';
import { Collector, type WaitOptions } from './collector.ts';

export class UdpPeer {
  readonly lines = new Collector<string>('udp peer');
  private constructor(
    private readonly socket: dgram.Socket,
    private readonly relayPort: number,
  ) {
    socket.on('message', (msg) => {
      // One datagram, one line, exactly as received (the trailing \n is checked by tests that care).
      this.lines.push(msg.toString('utf8'));
    });
  }

  /** Binds to `host` (any 127.0.0.0/8 address, so a test can play several source hosts). */
  static async connect(relayPort: number, host = '127.0.0.1'): Promise<UdpPeer> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, host, resolve));
    return new UdpPeer(socket, relayPort);
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(payload: string | Uint8Array): void {
    this.socket.send(
      typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload,
      this.relayPort,
      '127.0.0.1',
    );
  }

  /** Awaits a datagram whose text is exactly `text` (including its `\n`). */
  expect(text: string, options: WaitOptions = {}): Promise<string> {
    return this.lines.waitFor((line) => line === text, { what: JSON.stringify(text), ...options });
  }

  close(): void {
    this.lines.end('closed');
    this.socket.close();
  }
}
