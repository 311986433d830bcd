/**
 * Joining a multicast group (`chat --multicast`, `chaos --multicast`): a group that cannot be joined here
 * (no such interface, no route for multicast) is a usage error that says which group and interface.
 */
import { type Address, addressKey } from '../protocol/address.ts';
import { UsageError } from './usage-error.ts';

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
    const where = interfaceAddress === null ? '' : ` on interface ${interfaceAddress}`;
    throw new UsageError(
      'bad-value',
      `cannot join ${addressKey(group)}${where}: ${code} (is --interface a local address?)`,
    );
  }
}
