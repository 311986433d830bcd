/**
 * Joining a multicast group (`chat --multicast`, `chaos --multicast`): a group that cannot be joined here
 * is a usage error that says which group and what to do. Without --interface the kernel joins on its
 * route for the group, and a machine with no default route (a LAN without a router, a network namespace)
 * has none: ENODEV. The way out is --interface with one of this machine's addresses, so they are named.
 */
import { networkInterfaces } from 'node:os';
import { type Address, addressKey } from '../protocol/address.ts';
import { UsageError } from './usage-error.ts';

/** At most this many of the machine's addresses are suggested. */
const MAX_SUGGESTED = 3;

export async function joiningGroup<T>(
  group: Address,
  interfaceAddress: string | null,
  open: () => Promise<T>,
): Promise<T> {
  try {
    return await open();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    throw new UsageError(
      'bad-value',
      `cannot join ${addressKey(group)}${joinAdvice(interfaceAddress, code)}`,
    );
  }
}

function joinAdvice(interfaceAddress: string | null, code: string): string {
  if (interfaceAddress !== null)
    return ` on interface ${interfaceAddress}: ${code} (is --interface an address of this machine?)`;
  const suggested = localIpv4Addresses().slice(0, MAX_SUGGESTED);
  const example = suggested.length === 0 ? '' : `: ${suggested.map((a) => `--interface ${a}`).join(', ')}`;
  return `: ${code} (no route for multicast here; name the interface by its IPv4 address${example})`;
}

/** This machine's IPv4 addresses, LAN ones before loopback. */
function localIpv4Addresses(): string[] {
  const all = Object.values(networkInterfaces()).flatMap((entries) => entries ?? []);
  const ipv4 = all.filter((entry) => entry.family === 'IPv4');
  return [...ipv4.filter((e) => !e.internal), ...ipv4.filter((e) => e.internal)].map((e) => e.address);
}
