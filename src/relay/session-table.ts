/**
 * The relay's client table: the seed's `{client_addr: Client}` map, plus an index by nickname key so a
 * nickname (case-insensitive, look-alikes included) belongs to one client at a time, and a count of
 * clients per source host so one host cannot fill the table.
 */
import type { Address } from '../protocol/address.ts';
import { addressKey } from '../protocol/address.ts';
import type { Room } from './room-table.ts';
import type { TokenBucket } from './token-bucket.ts';

export interface Session {
  readonly address: Address;
  readonly addressKey: string;
  nick: string;
  nickKey: string;
  /** Last datagram of any kind (keep-alive and eviction). */
  lastSeen: number;
  /** Last line said (the idle time shown by /who). */
  lastActive: number;
  /** Rooms in the order they were joined; empty only after a kick out of the lobby, its last room. */
  readonly rooms: Set<Room>;
  /** Where plain lines go. */
  current: Room | undefined;
  /** null when present; the away message (possibly empty) otherwise. */
  away: string | null;
  /** The account key when the nickname was authenticated. */
  account: string | null;
  serverOperator: boolean;
  /** Flood control for this client's lines. */
  readonly lines: TokenBucket;
  lastThrottleNoticeAt: number;
  /** Server-driven keep-alive: pings sent since the client was last heard. */
  unansweredPings: number;
  lastPingSentAt: number;
}

export type NewSession = Pick<
  Session,
  'address' | 'nick' | 'nickKey' | 'account' | 'serverOperator' | 'lines'
>;

export class SessionTable {
  private readonly byAddress = new Map<string, Session>();
  private readonly byNick = new Map<string, Session>();
  private readonly perHost = new Map<string, number>();

  get size(): number {
    return this.byAddress.size;
  }

  get(address: Address): Session | undefined {
    return this.byAddress.get(addressKey(address));
  }

  ownerOfNick(nickKey: string): Session | undefined {
    return this.byNick.get(nickKey);
  }

  countFromHost(host: string): number {
    return this.perHost.get(host) ?? 0;
  }

  add(fields: NewSession, now: number): Session {
    const session: Session = {
      ...fields,
      addressKey: addressKey(fields.address),
      lastSeen: now,
      lastActive: now,
      rooms: new Set(),
      current: undefined,
      away: null,
      lastThrottleNoticeAt: Number.NEGATIVE_INFINITY,
      unansweredPings: 0,
      lastPingSentAt: Number.NEGATIVE_INFINITY,
    };
    this.byAddress.set(session.addressKey, session);
    this.byNick.set(session.nickKey, session);
    this.perHost.set(session.address.host, this.countFromHost(session.address.host) + 1);
    return session;
  }

  rename(session: Session, nick: string, nickKey: string): void {
    this.byNick.delete(session.nickKey);
    session.nick = nick;
    session.nickKey = nickKey;
    this.byNick.set(nickKey, session);
  }

  remove(session: Session): boolean {
    if (this.byAddress.get(session.addressKey) !== session) return false;
    this.byAddress.delete(session.addressKey);
    this.byNick.delete(session.nickKey);
    const count = this.countFromHost(session.address.host) - 1;
    if (count > 0) this.perHost.set(session.address.host, count);
    else this.perHost.delete(session.address.host);
    return true;
  }

  /** Iterates live sessions; callers must not add or remove while iterating. */
  values(): IterableIterator<Session> {
    return this.byAddress.values();
  }
}
