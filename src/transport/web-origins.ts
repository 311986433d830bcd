/**
 * Which page origins may open the relay's WebSocket: the page's own (every address the web listener can be
 * reached at, with its port) and any the operator names with `--web-origin` (a proxy in front, say). A
 * browser always sends its page's Origin, so a page on another site, or one reached through a rebound DNS
 * name, is refused (RFC 6455 section 10.2); a client that is not a browser can send any Origin it likes,
 * and gets nothing a plain TCP client would not.
 */
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Address } from '../protocol/address.ts';

const WILDCARDS = new Set(['0.0.0.0', '::', '::0']);
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function originOf(host: string, port: number): string {
  return isIP(host) === 6 ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

/** The set of allowed origins for a listener bound at `bound`, plus `extra` (already normalised origins). */
export function allowedOrigins(bound: Address, extra: readonly string[]): ReadonlySet<string> {
  const hosts = new Set<string>([bound.host]);
  if (WILDCARDS.has(bound.host)) {
    for (const list of Object.values(networkInterfaces()))
      for (const entry of list ?? []) hosts.add(entry.address);
  }
  if (WILDCARDS.has(bound.host) || LOOPBACK.has(bound.host)) for (const host of LOOPBACK) hosts.add(host);
  const origins = new Set<string>(extra);
  for (const host of hosts) origins.add(originOf(host, bound.port));
  return origins;
}
