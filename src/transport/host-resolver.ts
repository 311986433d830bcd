/**
 * Host names to addresses, once, at connect: the resolver is injected (nats.js's `dnsResolveFn`) so a test
 * or an in-memory network can name its own hosts, and the choice among the answers is one rule here.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Every address `host` has, in the resolver's order; rejects when it has none it can find. */
export type HostResolver = (host: string) => Promise<readonly ResolvedAddress[]>;

/** getaddrinfo through node:dns (so /etc/hosts counts, as it does for the seed's client). */
export const systemResolver: HostResolver = async (host) => {
  const found = await lookup(host, { all: true });
  return found.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
};

/**
 * The one address to talk to: an IP literal as it is, else the resolver's first IPv4 answer, else its
 * first answer. IPv4 is preferred: the seed's client is AF_INET only and its relay binds 0.0.0.0, so
 * "localhost" must mean 127.0.0.1. Failures are errors naming the host.
 */
export async function resolveRelayHost(host: string, resolver: HostResolver): Promise<string> {
  if (isIP(host) !== 0) return host;
  let found: readonly ResolvedAddress[];
  try {
    found = await resolver(host);
  } catch (error) {
    throw new Error(
      `cannot resolve relay host "${host}": ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const chosen = found.find((entry) => entry.family === 4) ?? found[0];
  if (chosen === undefined) throw new Error(`cannot resolve relay host "${host}": no addresses`);
  if (isIP(chosen.address) === 0)
    throw new Error(`cannot resolve relay host "${host}": the resolver answered "${chosen.address}"`);
  return chosen.address;
}
