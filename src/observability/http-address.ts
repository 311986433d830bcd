/**
 * The address of the metrics endpoint (`udpchat relay --metrics HOST:PORT`, read by cli/values.ts's
 * HOST:PORT parser) and the URLs made from it. The host is required: metrics are bound only where the
 * operator says, never to every interface by accident.
 */
import { isIP } from 'node:net';

export interface HttpAddress {
  readonly host: string;
  readonly port: number;
}

/** `http://host:port/path`, with brackets around an IPv6 literal. */
export function httpUrl(address: HttpAddress, path: string): string {
  const host = isIP(address.host) === 6 ? `[${address.host}]` : address.host;
  return `http://${host}:${address.port}${path}`;
}
