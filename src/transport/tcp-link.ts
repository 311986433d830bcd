/**
 * The client's link to a relay over TCP (`udpchat chat --tcp`, the relay's `--tcp-port`): v1 lines with
 * newline framing, a StreamLink. The relay's lines are handed on whole, each ending `\n`, however TCP split
 * them. A connection that ends (the relay restarted, or dropped us) is opened again at the next send, the
 * way a UDP client simply sends again: the session's own pings and /join retries pace the attempts, and the
 * relay's "please /join" on the new connection tells the session to join again.
 */
import net from 'node:net';
import type { Address } from '../protocol/address.ts';
import { addressKey } from '../protocol/address.ts';
import { MAX_STREAM_LINE_BYTES, MAX_STREAM_QUEUED_BYTES, STREAM_CLOSE_GRACE_MS } from '../protocol/limits.ts';
import { resolveRelayHost } from './host-resolver.ts';
import { LineFramer } from './line-framer.ts';
import type { ClientTransport, LinkRequest, ReceiveHandler, StreamLink } from './relay-link.ts';
import type { TraceSink } from './trace-sink.ts';
import { noTransportStats, type TransportStats } from './transport-stats.ts';

const NEWLINE = 0x0a;

export class TcpLink implements StreamLink {
  readonly kind = 'stream';
  readonly carriesV2 = false;
  readonly label: string;
  readonly stats: TransportStats = noTransportStats();
  private handler: ReceiveHandler = () => {};
  private socket: net.Socket | null;
  private connecting: Promise<void> | null = null;
  /** Bytes sent while a new connection is being opened; bounded like the relay's queue for us. */
  private waiting: Uint8Array[] = [];
  private waitingBytes = 0;
  private lastLocal: Address;
  private closed = false;

  private constructor(
    socket: net.Socket,
    readonly remote: Address,
    private readonly trace: TraceSink | undefined,
  ) {
    this.label = `tcp ${addressKey(remote)}`;
    this.socket = socket;
    this.lastLocal = localOf(socket);
    this.listen(socket);
  }

  /** Resolves the relay's host and connects; rejects with a message naming the relay when it cannot. */
  static async open(request: LinkRequest): Promise<TcpLink> {
    const host = await resolveRelayHost(request.target.host, request.resolveHost);
    const remote = { host, port: request.target.port };
    const socket = await connect(remote);
    return new TcpLink(socket, remote, request.trace);
  }

  get local(): Address {
    return this.lastLocal;
  }

  onReceive(handler: ReceiveHandler): void {
    this.handler = handler;
  }

  send(bytes: Uint8Array): void {
    if (this.closed) return;
    this.trace?.('out', this.remote, bytes);
    this.stats.datagramsOut++;
    this.stats.bytesOut += bytes.length;
    const socket = this.socket;
    if (socket !== null && !socket.destroyed && socket.writable) {
      socket.write(bytes);
      return;
    }
    this.hold(bytes);
    this.reconnect();
  }

  flush(): Promise<void> {
    const socket = this.socket;
    if (socket === null || socket.destroyed || !socket.writable) return Promise.resolve();
    return new Promise((resolve) => socket.write(new Uint8Array(0), () => resolve()));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const socket = this.socket;
    this.socket = null;
    if (socket === null || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => socket.destroy(), STREAM_CLOSE_GRACE_MS);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.end();
    });
  }

  private listen(socket: net.Socket): void {
    const framer = new LineFramer(MAX_STREAM_LINE_BYTES);
    const out = {
      line: (line: Uint8Array) => this.line(line),
      // A relay line never passes the limit; one that does is not from a relay we understand.
      overlong: () => {
        this.stats.sendErrors++;
      },
    };
    socket.on('data', (chunk: Buffer) => {
      if (this.closed || socket !== this.socket) return;
      this.stats.bytesIn += chunk.length;
      framer.feed(chunk, out);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      if (socket === this.socket) this.socket = null;
    });
  }

  private line(line: Uint8Array): void {
    const bytes = new Uint8Array(line.length + 1);
    bytes.set(line);
    bytes[line.length] = NEWLINE;
    this.stats.datagramsIn++;
    this.trace?.('in', this.remote, bytes);
    this.handler(bytes);
  }

  private hold(bytes: Uint8Array): void {
    if (this.waitingBytes + bytes.length > MAX_STREAM_QUEUED_BYTES) {
      this.stats.sendErrors++;
      return;
    }
    this.waiting.push(bytes);
    this.waitingBytes += bytes.length;
  }

  /** One attempt at a time; what was held goes out on the new connection, or is dropped if it fails. */
  private reconnect(): void {
    if (this.connecting !== null) return;
    this.connecting = connect(this.remote).then(
      (socket) => {
        this.connecting = null;
        if (this.closed) {
          socket.destroy();
          return;
        }
        this.socket = socket;
        this.lastLocal = localOf(socket);
        this.listen(socket);
        for (const bytes of this.drainWaiting()) socket.write(bytes);
      },
      () => {
        this.connecting = null;
        this.stats.sendErrors += this.drainWaiting().length;
      },
    );
  }

  private drainWaiting(): Uint8Array[] {
    const held = this.waiting;
    this.waiting = [];
    this.waitingBytes = 0;
    return held;
  }
}

/** TCP to one relay, resolved with the system's resolver unless the ClientTransport names another. */
export const tcpTransport: ClientTransport = { factory: (request) => TcpLink.open(request) };

function connect(remote: Address): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    // Nagle's algorithm would hold a short chat line back for the relay's delayed ACK.
    const socket = net.connect({ host: remote.host, port: remote.port, noDelay: true });
    socket.once('error', (error) => {
      socket.destroy();
      reject(new Error(`cannot connect to the relay at tcp ${addressKey(remote)}: ${error.message}`));
    });
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
  });
}

function localOf(socket: net.Socket): Address {
  return { host: socket.localAddress ?? '', port: socket.localPort ?? 0 };
}
