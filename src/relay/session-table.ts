/**
 * The relay's client table: the seed's `{client_addr: Client}` map, plus an index by nickname key so a
 * nickname (case-insensitive, look-alikes included) belongs to one address at a time.
 */
import type { Address } from '../protocol/address.ts';
import { addressKey } from '../protocol/address.ts';

export interface Session {
  readonly address: Address;
  readonly addressKey: string;
  readonly nick: string;
  readonly nickKey: string;
  lastSeen: number;
}

export class SessionTable {
  private readonly byAddress = new Map<string, Session>();
  private readonly byNick = new Map<string, Session>();

  get size(): number {
    return this.byAddress.size;
  }

  get(address: Address): Session | undefined {
    return this.byAddress.get(addressKey(address));
  }

  ownerOfNick(nickKey: string): Session | undefined {
    return this.byNick.get(nickKey);
  }

  add(address: Address, nick: string, nickKey: string, now: number): Session {
    const session: Session = { address, addressKey: addressKey(address), nick, nickKey, lastSeen: now };
    this.byAddress.set(session.addressKey, session);
    this.byNick.set(nickKey, session);
    return session;
  }

  remove(session: Session): boolean {
    if (this.byAddress.get(session.addressKey) !== session) return false;
    this.byAddress.delete(session.addressKey);
    this.byNick.delete(session.nickKey);
    return true;
  }

  /** Iterates live sessions; callers must not add or remove while iterating. */
  values(): IterableIterator<Session> {
    return this.byAddress.values();
  }
}
