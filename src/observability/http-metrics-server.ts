/**
 * The metrics endpoint's HTTP binding (node:http, no framework): `GET /metrics` serves the Prometheus
 * text, `GET /healthz` answers 200 while the relay runs (`ok`, or `degraded: why` while its cluster bus is
 * away) and 503 otherwise. Nothing else is served, and
 * the server is small on purpose: short timeouts and few connections, as it shares the relay's loop.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpAddress } from './http-address.ts';

export interface MetricsRoutes {
  readonly metrics: () => Promise<string>;
  readonly contentType: string;
  readonly healthy: () => boolean;
  /**
   * Why a running relay serves only its own clients (its cluster bus is away), or null. /healthz still
   * answers 200 then, since the relay serves, but says `degraded` and why.
   */
  readonly degraded?: () => string | null;
}

/** A scraper is one connection; a handful covers Prometheus, `udpchat top` and a curl. */
const MAX_CONNECTIONS = 32;
const REQUEST_TIMEOUT_MS = 5_000;

export class MetricsHttpServer {
  private constructor(
    private readonly server: Server,
    readonly address: HttpAddress,
  ) {}

  static async listen(where: HttpAddress, routes: MetricsRoutes): Promise<MetricsHttpServer> {
    const server = createServer(
      { requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: REQUEST_TIMEOUT_MS },
      (req, res) => {
        void respond(req, res, routes);
      },
    );
    server.maxConnections = MAX_CONNECTIONS;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(where.port, where.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const bound = server.address() as AddressInfo;
    return new MetricsHttpServer(server, { host: bound.address, port: bound.port });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      // Keep-alive scrapers would otherwise hold the process open until they hang up.
      this.server.closeAllConnections();
    });
  }
}

async function respond(req: IncomingMessage, res: ServerResponse, routes: MetricsRoutes): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return send(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
  }
  if (path === '/healthz') {
    if (!routes.healthy()) return send(res, 503, 'relay not running\n');
    const degraded = routes.degraded?.() ?? null;
    return send(res, 200, degraded === null ? 'ok\n' : `degraded: ${degraded}\n`);
  }
  if (path !== '/metrics') return send(res, 404, 'not found: try /metrics or /healthz\n');
  try {
    send(res, 200, await routes.metrics(), { 'Content-Type': routes.contentType });
  } catch {
    send(res, 500, 'metrics unavailable\n');
  }
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
