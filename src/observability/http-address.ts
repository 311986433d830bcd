/**
 * `HOST:PORT` for the metrics endpoint (`udpchat relay --metrics`, `udpchat top --metrics`). The host is
 * required: metrics are bound only where the operator says, never to every interface by accident.
 */
import { isIP } from 'node:net';

export interface HttpAddress {
  readonly host: string;
  readonly port: number;
}

export type HostPortResult =
  | { readonly ok: true; readonly address: HttpAddress }
  | { readonly ok: false; readonly message: string };

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** `127.0.0.1:9100`, `[::1]:9100` or `localhost:9100`; port 0 lets the kernel choose. */
export function parseHostPort(text: string): HostPortResult {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  if (match === null) return failure(`expected HOST:PORT (e.g. 127.0.0.1:9100), got "${text}"`);
  const [, v6, name = '', portText = ''] = match;
  const port = Number(portText);
  if (port > 65535) return failure(`port must be 0-65535, got "${portText}"`);
  if (v6 !== undefined) {
    return isIP(v6) === 6
      ? { ok: true, address: { host: v6, port } }
      : failure(`not an IPv6 address: "${v6}"`);
  }
  if (isIP(name) === 0 && !HOSTNAME.test(name)) return failure(`not a host name or IP address: "${name}"`);
  return { ok: true, address: { host: name, port } };
}

/** `http://host:port/path`, with brackets around an IPv6 literal. */
export function httpUrl(address: HttpAddress, path: string): string {
  const host = isIP(address.host) === 6 ? `[${address.host}]` : address.host;
  return `http://${host}:${address.port}${path}`;
}

function failure(message: string): HostPortResult {
  return { ok: false, message };
}
