/**
 * The v1 line protocol over TCP, the relay's side: one node:net server, newline framing (line-framer.ts),
 * and the limits a stream needs that a datagram does not. A line over the limit is refused and never
 * buffered; a client that reads too slowly is dropped with a notice once the bytes queued for it pass
 * MAX_STREAM_QUEUED_BYTES; a connection that completes no line for the idle timeout is closed (a trickle
 * of bytes without a newline, slowloris, does not count); FIN and RST are departures. What the lines mean
 * is the relay core's business: each connection is handed to the acceptor as a StreamConnection.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Address } from '../protocol/address.ts';
import { encodeLine } from '../protocol/codec.ts';
import {
  MAX_STREAM_CONNECTIONS,
  MAX_STREAM_LINE_BYTES,
  MAX_STREAM_QUEUED_BYTES,
  STREAM_CLOSE_GRACE_MS,
} from '../protocol/limits.ts';
import * as wire from '../protocol/messages.ts';
import { LineFramer } from './line-framer.ts';
import type { StreamAcceptor, StreamConnection, StreamEnd, StreamHandler } from './stream-connection.ts';
import type { TraceSink } from './trace-sink.ts';
import { noTransportStats, type TransportStats } from './transport-stats.ts';

export interface TcpServerOptions {
  readonly host: string;
  /** 0 lets the kernel choose. */
  readonly port: number;
  /** A connection that completes no line for this long is closed (the relay gives twice its idle timeout). */
  readonly idleTimeoutMs: number;
  readonly maxConnections?: number;
  readonly maxQueuedBytes?: number;
  readonly trace?: TraceSink;
}

/** How often the idle sweep looks (a quarter of the timeout, at most every 5 s). */
function sweepEvery(idleTimeoutMs: number): number {
  return Math.max(50, Math.min(5_000, Math.floor(idleTimeoutMs / 4)));
}

export class TcpServer {
  readonly stats: TransportStats = noTransportStats();
  private readonly connections = new Set<TcpConnection>();
  private readonly sweeper: NodeJS.Timeout;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: net.Server,
    readonly local: Address,
    private readonly options: TcpServerOptions,
    accept: StreamAcceptor,
  ) {
    server.on('connection', (socket) => this.connected(socket, accept));
    this.sweeper = setInterval(() => this.sweep(), sweepEvery(options.idleTimeoutMs));
    this.sweeper.unref();
  }

  static async listen(options: TcpServerOptions, accept: StreamAcceptor): Promise<TcpServer> {
    // Nagle's algorithm would hold a short chat line back for the peer's delayed ACK (up to 40 ms here).
    const server = net.createServer({ noDelay: true, allowHalfOpen: false });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: options.host, port: options.port, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const bound = server.address() as net.AddressInfo;
    return new TcpServer(server, { host: bound.address, port: bound.port }, options, accept);
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Stops accepting, ends every connection (what is queued still leaves), and resolves once all are gone. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    clearInterval(this.sweeper);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of this.connections) connection.end();
    await closed;
  }

  private connected(socket: net.Socket, accept: StreamAcceptor): void {
    if (this.closing !== undefined || socket.remoteAddress === undefined) {
      socket.destroy();
      return;
    }
    if (this.connections.size >= (this.options.maxConnections ?? MAX_STREAM_CONNECTIONS)) {
      socket.end(encodeLine(wire.TOO_MANY_CONNECTIONS));
      socket.on('error', () => {});
      setTimeout(() => socket.destroy(), STREAM_CLOSE_GRACE_MS).unref();
      return;
    }
    const remote = { host: socket.remoteAddress, port: socket.remotePort ?? 0 };
    const connection = new TcpConnection(socket, remote, this.stats, {
      maxQueuedBytes: this.options.maxQueuedBytes ?? MAX_STREAM_QUEUED_BYTES,
      ...(this.options.trace ? { trace: this.options.trace } : {}),
    });
    this.connections.add(connection);
    connection.start(accept(connection), () => this.connections.delete(connection));
  }

  private sweep(): void {
    const before = performance.now() - this.options.idleTimeoutMs;
    for (const connection of this.connections) if (connection.lastLineAt < before) connection.idle();
  }
}

interface ConnectionLimits {
  readonly maxQueuedBytes: number;
  readonly trace?: TraceSink;
}

class TcpConnection implements StreamConnection {
  readonly kind = 'tcp';
  /** performance.now() of the last whole line (or of the connection), for the idle sweep. */
  lastLineAt = performance.now();
  private handler: StreamHandler | null = null;
  private endedWhy: StreamEnd | null = null;
  private readonly framer = new LineFramer(MAX_STREAM_LINE_BYTES);
  private graceTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: net.Socket,
    readonly remote: Address,
    private readonly stats: TransportStats,
    private readonly limits: ConnectionLimits,
  ) {}

  start(handler: StreamHandler, gone: () => void): void {
    this.handler = handler;
    const framed = {
      line: (bytes: Uint8Array) => this.line(bytes),
      overlong: (bytes: number) => handler.overlong(bytes),
    };
    this.socket.on('data', (chunk: Buffer) => {
      this.stats.bytesIn += chunk.length;
      this.framer.feed(chunk, framed);
    });
    // ECONNRESET, EPIPE: the close that follows reports it.
    this.socket.on('error', () => {
      this.endedWhy ??= 'reset';
    });
    this.socket.on('close', (hadError) => {
      clearTimeout(this.graceTimer);
      gone();
      handler.ended(this.endedWhy ?? (hadError ? 'reset' : 'closed'));
    });
  }

  write(payload: Uint8Array): void {
    if (this.endedWhy !== null || this.socket.destroyed) {
      this.stats.sendErrors++;
      return;
    }
    this.limits.trace?.('out', this.remote, payload);
    this.socket.write(payload);
    this.stats.datagramsOut++;
    this.stats.bytesOut += payload.length;
    const queued = this.socket.writableLength;
    if (queued > this.limits.maxQueuedBytes) this.finish('slow', encodeLine(wire.slowReader(queued)));
  }

  acknowledge(): void {
    // A TCP client speaks plain v1 lines: nothing asks for acknowledgements.
  }

  end(goodbye?: Uint8Array): void {
    this.finish('ended', goodbye);
  }

  idle(): void {
    this.finish('idle', encodeLine(wire.CONNECTION_IDLE));
  }

  private line(bytes: Uint8Array): void {
    if (this.endedWhy !== null) return;
    this.lastLineAt = performance.now();
    this.stats.datagramsIn++;
    this.limits.trace?.('in', this.remote, bytes);
    this.handler?.received(bytes, null);
  }

  /** Our side ends: the goodbye and what is queued leave, then FIN; a peer that lingers is cut after a grace. */
  private finish(why: StreamEnd, goodbye?: Uint8Array): void {
    if (this.endedWhy !== null) return;
    this.endedWhy = why;
    if (goodbye === undefined) this.socket.end();
    else this.socket.end(goodbye);
    this.graceTimer = setTimeout(() => this.socket.destroy(), STREAM_CLOSE_GRACE_MS);
    this.graceTimer.unref();
  }
}
