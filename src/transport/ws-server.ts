/**
 * The v1 line protocol over WebSocket, the relay's side (the `ws` package): one text message is one v1
 * datagram from the client, and each line for it is one text message, without its `\n`. Upgrades are
 * taken only on WEB_SOCKET_PATH and only from an allowed Origin (a browser sends its page's origin; a page
 * elsewhere must not chat in its visitor's name, RFC 6455 section 10.2). The limits are a stream's: frames
 * over MAX_WEB_MESSAGE_BYTES are refused before they are buffered, a client that reads too slowly is
 * dropped with a notice, one that sends nothing for twice the idle timeout is closed. The subprotocol
 * `udpchat-v1-ack` adds per-message acknowledgements (docs/PROTOCOL.md).
 */
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { Address } from '../protocol/address.ts';
import { encodeLine } from '../protocol/codec.ts';
import { MAX_STREAM_QUEUED_BYTES, MAX_WEB_MESSAGE_BYTES, STREAM_CLOSE_GRACE_MS } from '../protocol/limits.ts';
import * as wire from '../protocol/messages.ts';
import { readIdTag } from '../protocol/web-acks.ts';
import type { StreamAcceptor, StreamConnection, StreamEnd, StreamHandler } from './stream-connection.ts';
import type { TraceSink } from './trace-sink.ts';
import { noTransportStats, type TransportStats } from './transport-stats.ts';

/** Where the web client opens its WebSocket, on the page's own origin. */
export const WEB_SOCKET_PATH = '/chat';

export interface WsOptions {
  /** Origins allowed to open a WebSocket (`http://127.0.0.1:8080`); a request without Origin is no browser's. */
  readonly allowedOrigin: (origin: string) => boolean;
  readonly idleTimeoutMs: number;
  readonly maxQueuedBytes?: number;
  readonly trace?: TraceSink;
}

const encoder = new TextEncoder();

export class WsEndpoint {
  readonly stats: TransportStats = noTransportStats();
  private readonly server: WebSocketServer;
  private readonly connections = new Set<WsConnection>();
  private closing = false;

  constructor(
    private readonly options: WsOptions,
    private readonly accept: StreamAcceptor,
  ) {
    this.server = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_WEB_MESSAGE_BYTES,
      perMessageDeflate: false,
      clientTracking: false,
      handleProtocols: (offered) =>
        offered.has(wire.WEB_PROTOCOL_ACKS)
          ? wire.WEB_PROTOCOL_ACKS
          : offered.has(wire.WEB_PROTOCOL)
            ? wire.WEB_PROTOCOL
            : false,
    });
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** An HTTP upgrade request: taken, or answered with a refusal and closed. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refusal = this.refusal(request);
    if (refusal !== null) {
      socket.on('error', () => {});
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    this.server.handleUpgrade(request, socket, head, (ws) => this.connected(ws, request));
  }

  /** Closes every connection, what is queued first. */
  close(): Promise<void> {
    this.closing = true;
    const all = [...this.connections].map((connection) => connection.closed);
    for (const connection of this.connections) connection.end();
    return Promise.all(all).then(() => {});
  }

  /** Closes connections that sent no message since `before` (performance.now()). */
  sweep(before: number): void {
    for (const connection of this.connections) if (connection.lastMessageAt < before) connection.idle();
  }

  private refusal(request: IncomingMessage): string | null {
    if (this.closing) return '503 Service Unavailable';
    const path = (request.url ?? '').split('?')[0];
    if (path !== WEB_SOCKET_PATH) return '404 Not Found';
    const origin = request.headers.origin;
    if (origin !== undefined && !this.options.allowedOrigin(origin)) return '403 Forbidden';
    return null;
  }

  private connected(ws: WebSocket, request: IncomingMessage): void {
    const remote = { host: request.socket.remoteAddress ?? '', port: request.socket.remotePort ?? 0 };
    const connection = new WsConnection(ws, remote, this.stats, {
      acks: ws.protocol === wire.WEB_PROTOCOL_ACKS,
      maxQueuedBytes: this.options.maxQueuedBytes ?? MAX_STREAM_QUEUED_BYTES,
      ...(this.options.trace ? { trace: this.options.trace } : {}),
    });
    this.connections.add(connection);
    connection.start(this.accept(connection), () => this.connections.delete(connection));
  }
}

interface ConnectionSettings {
  /** The client asked for `udpchat-v1-ack`. */
  readonly acks: boolean;
  readonly maxQueuedBytes: number;
  readonly trace?: TraceSink;
}

class WsConnection implements StreamConnection {
  readonly kind = 'ws';
  lastMessageAt = performance.now();
  readonly closed: Promise<void>;
  private markClosed: () => void = () => {};
  private endedWhy: StreamEnd | null = null;
  private graceTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ws: WebSocket,
    readonly remote: Address,
    private readonly stats: TransportStats,
    private readonly settings: ConnectionSettings,
  ) {
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
  }

  start(handler: StreamHandler, gone: () => void): void {
    this.ws.on('message', (data: RawData) => this.message(handler, bytesOf(data)));
    // A protocol error (an oversized frame, bad UTF-8 in a text frame): ws closes, and the close follows.
    this.ws.on('error', () => {
      this.endedWhy ??= 'reset';
    });
    this.ws.on('close', (code: number) => {
      clearTimeout(this.graceTimer);
      gone();
      this.markClosed();
      handler.ended(this.endedWhy ?? (code === 1000 || code === 1001 ? 'closed' : 'reset'));
    });
  }

  write(payload: Uint8Array): void {
    if (this.endedWhy !== null || this.ws.readyState !== this.ws.OPEN) {
      this.stats.sendErrors++;
      return;
    }
    this.settings.trace?.('out', this.remote, payload);
    // One line per message, without its newline (the core's payloads are one line each).
    const line = withoutNewline(payload);
    this.ws.send(line, { binary: false });
    this.stats.datagramsOut++;
    this.stats.bytesOut += line.length;
    const queued = this.ws.bufferedAmount;
    if (queued > this.settings.maxQueuedBytes) this.finish('slow', encodeLine(wire.slowReader(queued)));
  }

  acknowledge(id: number, refusal: string | null): void {
    if (!this.settings.acks) return;
    this.write(encoder.encode(refusal === null ? wire.acknowledged(id) : wire.notAcknowledged(id, refusal)));
  }

  end(goodbye?: Uint8Array): void {
    this.finish('ended', goodbye);
  }

  idle(): void {
    this.finish('idle', encodeLine(wire.CONNECTION_IDLE));
  }

  private message(handler: StreamHandler, bytes: Uint8Array): void {
    if (this.endedWhy !== null) return;
    this.lastMessageAt = performance.now();
    this.stats.datagramsIn++;
    this.stats.bytesIn += bytes.length;
    this.settings.trace?.('in', this.remote, bytes);
    const tag = this.settings.acks ? readTag(bytes) : null;
    if (tag === null) handler.received(bytes, null);
    else handler.received(bytes.subarray(tag.rest), tag.id);
  }

  private finish(why: StreamEnd, goodbye?: Uint8Array): void {
    if (this.endedWhy !== null) return;
    this.endedWhy = why;
    if (goodbye !== undefined && this.ws.readyState === this.ws.OPEN) {
      this.settings.trace?.('out', this.remote, goodbye);
      this.ws.send(withoutNewline(goodbye), { binary: false });
    }
    this.ws.close(1000);
    this.graceTimer = setTimeout(() => this.ws.terminate(), STREAM_CLOSE_GRACE_MS);
    this.graceTimer.unref();
  }
}

/** The tag is ASCII at the very start: read it from the first bytes without decoding the whole message. */
function readTag(bytes: Uint8Array): { readonly id: number; readonly rest: number } | null {
  if (bytes[0] !== 0x40) return null;
  const head = String.fromCharCode(...bytes.subarray(0, Math.min(bytes.length, 20)));
  return readIdTag(head);
}

function withoutNewline(payload: Uint8Array): Uint8Array {
  return payload[payload.length - 1] === 0x0a ? payload.subarray(0, payload.length - 1) : payload;
}

function bytesOf(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}
