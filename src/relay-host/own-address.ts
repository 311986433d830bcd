/**
 * Which source addresses are the relay itself. A relay bound to the wildcard address owns every local
 * interface address on its port; a datagram claiming to come from one of them is a forgery (or a loop).
 */
import { networkInterfaces } from 'node:os';
import type { Address } from '../protocol/address.ts';
import { isSessionPeer } from '../relay/peer.ts';

const WILDCARDS = new Set(['0.0.0.0', '::', '::0']);

export function ownAddressPredicate(bound: Address): (address: Address) => boolean {
  const hosts = new Set<string>([bound.host]);
  if (WILDCARDS.has(bound.host)) {
    for (const list of Object.values(networkInterfaces()))
      for (const entry of list ?? []) hosts.add(entry.address);
    hosts.add('127.0.0.1');
    hosts.add('::1');
  }
  // A session (v2, a TCP or WebSocket connection) is a connection the relay accepted, never a forged source;
  // a TCP client's port may well equal the relay's UDP port, since the two port spaces are separate.
  return (address) =>
    !isSessionPeer(address) &&
    address.port === bound.port &&
    (hosts.has(address.host) || isMappedOwn(address.host, hosts));
}

/** An IPv4 peer seen through an IPv6 socket appears as `::ffff:a.b.c.d`. */
function isMappedOwn(host: string, hosts: Set<string>): boolean {
  return host.startsWith('::ffff:') && hosts.has(host.slice(7));
}
