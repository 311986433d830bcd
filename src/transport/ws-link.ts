/**
 * A Node client's link to the relay's WebSocket (`ws` package, subprotocol `udpchat-v1`: one plain v1 line
 * per message), a StreamLink for ChatClient. The comparison and the benchmark use it to play web clients
 * without a browser; the browser's own link is src/web/ws-link.ts. The target's port is the web listener's
 * (`--web HOST:PORT`); the path is the relay's /chat.
 */
import WebSocket from 'ws';
import type { Address } from '../protocol/address.ts';
import { addressKey } from '../protocol/address.ts';
import { MAX_STREAM_QUEUED_BYTES, STREAM_CLOSE_GRACE_MS } from '../protocol/limits.ts';
import { WEB_PROTOCOL } from '../protocol/messages.ts';
import { resolveRelayHost } from './host-resolver.ts';
import type { ClientTransport, LinkRequest, ReceiveHandler, StreamLink } from './relay-link.ts';
import type { TraceSink } from './trace-sink.ts';
import { noTransportStats, type TransportStats } from './transport-stats.ts';
import { WEB_SOCKET_PATH } from './ws-server.ts';

const NEWLINE = 0x0a;

export class WsClientLink implements StreamLink {
  readonly kind = 'stream';
  readonly carriesV2 = false;
  readonly label: string;
  readonly stats: TransportStats = noTransportStats();
  readonly local: Address;
  private handler: ReceiveHandler = () => {};
  private closed = false;
  /** Settles when the latest message has been written to the socket. */
  private lastSent: Promise<void> = Promise.resolve();

  private constructor(
    private readonly socket: WebSocket,
    readonly remote: Address,
    private readonly trace: TraceSink | undefined,
  ) {
    this.label = `ws ${addressKey(remote)}`;
    this.local = localOf(socket);
    socket.on('message', (data, isBinary) => {
      if (this.closed || isBinary) return;
      this.message(data as Buffer);
    });
    socket.on('error', () => {});
  }

  static async open(request: LinkRequest): Promise<WsClientLink> {
    const host = await resolveRelayHost(request.target.host, request.resolveHost);
    const remote = { host, port: request.target.port };
    const url = `ws://${host.includes(':') ? `[${host}]` : host}:${remote.port}${WEB_SOCKET_PATH}`;
    const socket = await new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, [WEB_PROTOCOL], { perMessageDeflate: false });
      ws.once('error', (error) =>
        reject(new Error(`cannot connect to the relay at ${url}: ${error.message}`)),
      );
      ws.once('open', () => {
        ws.removeAllListeners('error');
        resolve(ws);
      });
    });
    // ws turns Nagle's algorithm off on its socket, as the relay does on its side.
    return new WsClientLink(socket, remote, request.trace);
  }

  onReceive(handler: ReceiveHandler): void {
    this.handler = handler;
  }

  /** One message per line: ClientSession's datagrams are one line each. */
  send(bytes: Uint8Array): void {
    if (this.closed || this.socket.readyState !== WebSocket.OPEN) {
      this.stats.sendErrors++;
      return;
    }
    if (this.socket.bufferedAmount > MAX_STREAM_QUEUED_BYTES) {
      this.stats.sendErrors++;
      return;
    }
    this.trace?.('out', this.remote, bytes);
    const end = bytes[bytes.length - 1] === NEWLINE ? bytes.length - 1 : bytes.length;
    this.lastSent = new Promise((resolve) =>
      this.socket.send(bytes.subarray(0, end), { binary: false }, () => resolve()),
    );
    this.stats.datagramsOut++;
    this.stats.bytesOut += bytes.length;
  }

  flush(): Promise<void> {
    return this.lastSent;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.socket.terminate(), STREAM_CLOSE_GRACE_MS);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.close(1000);
    });
  }

  /** Drops the connection without a closing handshake, as a client that crashed does (its kernel FINs). */
  vanish(): void {
    this.closed = true;
    this.socket.terminate();
  }

  private message(data: Buffer): void {
    const bytes = new Uint8Array(data.length + 1);
    bytes.set(data);
    bytes[data.length] = NEWLINE;
    this.stats.datagramsIn++;
    this.stats.bytesIn += data.length;
    this.trace?.('in', this.remote, bytes);
    this.handler(bytes);
  }
}

/**
 * The TCP socket's local end: ws keeps its socket in `_socket` and offers no public accessor; the address
 * is only for reports and for the comparison's fault rules, so a missing one is harmless.
 */
function localOf(socket: WebSocket): Address {
  const raw = (socket as unknown as { _socket?: { localAddress?: string; localPort?: number } })._socket;
  return { host: raw?.localAddress ?? '', port: raw?.localPort ?? 0 };
}

/** WebSocket to one relay's web listener (its --web port). */
export const wsTransport: ClientTransport = { factory: (request) => WsClientLink.open(request) };
