/**
 * The relay's stream listeners beside its UDP socket: TCP (`--tcp-port`, on the relay's host) and the web
 * client with its WebSocket (`--web HOST:PORT`). Each is off unless asked for; every connection they accept
 * goes to one acceptor (the stream gateway), so all of them meet the UDP clients in the same core.
 */
import type { Address } from '../protocol/address.ts';
import type { StreamAcceptor } from '../transport/stream-connection.ts';
import { TcpServer } from '../transport/tcp-server.ts';
import type { TraceSink } from '../transport/trace-sink.ts';
import type { TransportStats } from '../transport/transport-stats.ts';
import { WebServer, type WebServerOptions } from '../transport/web-server.ts';

export interface StreamListenOptions {
  /** `--tcp-port`: v1 lines over TCP on `host`; 0 picks a free port. Omitted: no TCP. */
  readonly tcpPort?: number;
  /** `--web`: the page and its WebSocket on their own address. Omitted: no web. */
  readonly web?: Omit<WebServerOptions, 'idleTimeoutMs' | 'trace'>;
}

/** Counters of one listener, read at scrape time. */
export interface StreamVitals {
  readonly connections: number;
  readonly stats: Readonly<TransportStats>;
}

export class StreamListeners {
  private constructor(
    private readonly tcpServer: TcpServer | null,
    private readonly webServer: WebServer | null,
  ) {}

  static none(): StreamListeners {
    return new StreamListeners(null, null);
  }

  static async start(
    host: string,
    options: StreamListenOptions,
    common: { readonly idleTimeoutMs: number; readonly trace?: TraceSink },
    accept: StreamAcceptor,
  ): Promise<StreamListeners> {
    const tcp =
      options.tcpPort === undefined
        ? null
        : await TcpServer.listen({ host, port: options.tcpPort, ...common }, accept);
    try {
      const web =
        options.web === undefined ? null : await WebServer.listen({ ...options.web, ...common }, accept);
      return new StreamListeners(tcp, web);
    } catch (error) {
      await tcp?.close();
      throw error;
    }
  }

  get tcp(): Address | null {
    return this.tcpServer?.local ?? null;
  }

  /** The page's origin (`http://127.0.0.1:8080`), or null. */
  get webUrl(): string | null {
    return this.webServer?.url ?? null;
  }

  get web(): Address | null {
    return this.webServer?.local ?? null;
  }

  vitals(): { readonly tcp: StreamVitals | null; readonly ws: StreamVitals | null } {
    const { tcpServer, webServer } = this;
    return {
      tcp: tcpServer === null ? null : { connections: tcpServer.connectionCount, stats: tcpServer.stats },
      ws: webServer === null ? null : { connections: webServer.connectionCount, stats: webServer.stats },
    };
  }

  /** Ends every connection (what is queued still leaves) and stops listening. */
  async close(): Promise<void> {
    await Promise.all([this.tcpServer?.close(), this.webServer?.close()]);
  }
}
