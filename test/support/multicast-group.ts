/**
 * A multicast group of its own for each test: a random 239.255.x.y (RFC 2365's organisation-local scope)
 * and a random high port, so concurrent test files never hear each other. Everything is on loopback:
 * IP_MULTICAST_IF 127.0.0.1, so no datagram leaves the host.
 */
import { randomInt } from 'node:crypto';
import type { Address } from '../../src/protocol/address.ts';

export const LOOPBACK = '127.0.0.1';

export function freshGroup(): Address {
  return { host: `239.255.${randomInt(1, 255)}.${randomInt(1, 255)}`, port: randomInt(20_000, 60_000) };
}

export function groupText(group: Address): string {
  return `${group.host}:${group.port}`;
}
