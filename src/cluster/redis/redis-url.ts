/**
 * `redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]`, read strictly: a URL that cannot mean one Redis server is
 * refused with the reason, before any connection is tried. The password never appears in `describe`.
 */
import { ClusterError } from '../bus-error.ts';

export interface RedisAddress {
  readonly host: string;
  readonly port: number;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly db: number;
}

const DEFAULT_PORT = 6379;
/** Redis numbers its databases from 0; the server says whether it has that many. */
const MAX_DB = 2 ** 31 - 1;

function refuse(url: string, reason: string): never {
  throw new ClusterError('bad-url', `cluster URL ${JSON.stringify(redactUrl(url))}: ${reason}`);
}

/** The URL as a log may show it: any password replaced by ***. */
export function redactUrl(url: string): string {
  return url.replace(/^(redis:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}

export function parseRedisUrl(url: string): RedisAddress {
  if (!/^redis:\/\//i.test(url)) {
    if (/^rediss:\/\//i.test(url)) refuse(url, 'TLS (rediss://) is not supported; use redis://');
    refuse(url, 'expected redis://[:PASSWORD@]HOST:PORT[/DB]');
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse(url, 'not a URL; expected redis://[:PASSWORD@]HOST:PORT[/DB]');
  }
  if (parsed.search !== '' || parsed.hash !== '') refuse(url, 'no ?query or #fragment is understood');
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') refuse(url, 'no host');
  const port = parsed.port === '' ? DEFAULT_PORT : Number(parsed.port);
  if (!(port >= 1 && port <= 65535)) refuse(url, 'the port must be 1-65535');
  return {
    host,
    port,
    username: parsed.username === '' ? undefined : decodeURIComponent(parsed.username),
    password: parsed.password === '' ? undefined : decodeURIComponent(parsed.password),
    db: parseDb(url, parsed.pathname),
  };
}

function parseDb(url: string, path: string): number {
  if (path === '' || path === '/') return 0;
  const digits = /^\/(\d{1,10})$/.exec(path)?.[1];
  const db = digits === undefined ? Number.NaN : Number(digits);
  if (!(db >= 0 && db <= MAX_DB))
    refuse(url, `the database must be a number after the port (/0, /1, ...), got "${path}"`);
  return db;
}
