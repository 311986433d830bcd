/**
 * `udpchat relay --web HOST:PORT`: one HTTP listener that serves the web client (the files the build puts
 * in dist/web/, read once at start: no CDN, works offline) and takes its WebSocket at /chat (ws-server.ts).
 * Every response carries a strict Content-Security-Policy: scripts, styles and connections only from the
 * page's own origin, no inline script or style, no framing. Only GET and HEAD of the known files are served.
 */
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Address } from '../protocol/address.ts';
import type { StreamAcceptor } from './stream-connection.ts';
import type { TraceSink } from './trace-sink.ts';
import type { TransportStats } from './transport-stats.ts';
import { allowedOrigins, originOf } from './web-origins.ts';
import { WsEndpoint } from './ws-server.ts';

export interface WebServerOptions {
  readonly host: string;
  /** 0 lets the kernel choose. */
  readonly port: number;
  /** Origins allowed besides the page's own (`--web-origin`), e.g. `https://chat.example.org`. */
  readonly origins?: readonly string[];
  /** The built page; default dist/web/ of this package. */
  readonly pageDir?: string;
  readonly idleTimeoutMs: number;
  readonly trace?: TraceSink;
}

/** The build's output: two levels up from src/transport/ or dist/transport/ is the package root. */
export const DEFAULT_PAGE_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
};

interface PageFile {
  readonly type: string;
  readonly body: Buffer;
}

export class WebServer {
  private readonly sweeper: NodeJS.Timeout;

  private constructor(
    private readonly server: http.Server,
    private readonly ws: WsEndpoint,
    readonly local: Address,
    idleTimeoutMs: number,
  ) {
    this.sweeper = setInterval(
      () => ws.sweep(performance.now() - idleTimeoutMs),
      Math.max(50, Math.min(5_000, Math.floor(idleTimeoutMs / 4))),
    );
    this.sweeper.unref();
  }

  static async listen(options: WebServerOptions, accept: StreamAcceptor): Promise<WebServer> {
    const files = readPage(options.pageDir ?? DEFAULT_PAGE_DIR);
    const server = http.createServer((request, response) => serve(files, request, response));
    // Slow headers are a cheap way to hold sockets open (slowloris): the defaults are minutes.
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: options.host, port: options.port, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const bound = server.address() as AddressInfo;
    const local = { host: bound.address, port: bound.port };
    const origins = allowedOrigins(local, options.origins ?? []);
    const ws = new WsEndpoint(
      {
        allowedOrigin: (origin) => origins.has(origin),
        idleTimeoutMs: options.idleTimeoutMs,
        ...(options.trace ? { trace: options.trace } : {}),
      },
      accept,
    );
    server.on('upgrade', (request, socket, head) => ws.upgrade(request, socket, head));
    return new WebServer(server, ws, local, options.idleTimeoutMs);
  }

  /** The page's address as a URL (`http://127.0.0.1:8080/`). */
  get url(): string {
    return `${originOf(this.local.host, this.local.port)}/`;
  }

  get connectionCount(): number {
    return this.ws.connectionCount;
  }

  get stats(): Readonly<TransportStats> {
    return this.ws.stats;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.ws.close();
    this.server.closeAllConnections();
    await stopped;
  }
}

/** Every file the build wrote, by its URL path; `/` is index.html. */
function readPage(dir: string): ReadonlyMap<string, PageFile> {
  const files = new Map<string, PageFile>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    names = [];
  }
  for (const name of names) {
    const type = CONTENT_TYPES[extname(name)];
    if (type !== undefined) files.set(`/${name}`, { type, body: readFileSync(join(dir, name)) });
  }
  const index = files.get('/index.html');
  if (index === undefined) throw new Error(`--web: no web client in ${dir} (run "npm run build")`);
  files.set('/', index);
  return files;
}

function serve(
  files: ReadonlyMap<string, PageFile>,
  request: http.IncomingMessage,
  response: http.ServerResponse,
): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Length': 0 }).end();
    return;
  }
  const file = files.get((request.url ?? '/').split('?')[0] ?? '/');
  if (file === undefined) {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  response.writeHead(200, {
    'Content-Type': file.type,
    'Content-Length': file.body.length,
    'Cache-Control': 'no-cache',
  });
  response.end(request.method === 'HEAD' ? undefined : file.body);
}
