/**
 * The relay's client table: the seed's `{client_addr: Client}` map, plus an index by nickname key so a
 * nickname (case-insensitive, look-alikes included) belongs to one client at a time, and a count of
 * clients per source host so one host cannot fill the table.
 */
import type { Address } from '../protocol/address.ts';
import { peerKey } from './peer.ts';
import type { Room } from './room-table.ts';
import { SmallSet } from './small-set.ts';
import type { TokenBucket } from './token-bucket.ts';

export interface Session {
  readonly address: Address;
  /** The table key: the address for a v1 client, the session for a v2 one (see peer.ts). */
  readonly addressKey: string;
  nick: string;
  nickKey: string;
  /** Last datagram of any kind (keep-alive and eviction). */
  lastSeen: number;
  /** Last line said (the idle time shown by /who). */
  lastActive: number;
  /** Rooms in the order they were joined; empty only after a kick out of the lobby, its last room. */
  readonly rooms: SmallSet<Room>;
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
  /**
   * When the session last moved to the young end of the activity order (see SessionTable.touch); never
   * later than `lastSeen`.
   */
  activityMark: number;
  /** Server-driven keep-alive: pings sent since the client was last heard. */
  unansweredPings: number;
  lastPingSentAt: number;
}

/**
 * A session heard again moves to the young end of the activity order at most this often: the order is
 * exact to within this much, which is plenty for sweeps measured in seconds and keeps the hot path cheap.
 */
const ACTIVITY_GRANULARITY_MS = 1_000;

export type NewSession = Pick<
  Session,
  'address' | 'nick' | 'nickKey' | 'account' | 'serverOperator' | 'lines'
>;

export class SessionTable {
  private readonly byAddress = new Map<string, Session>();
  private readonly byNick = new Map<string, Session>();
  private readonly perHost = new Map<string, number>();
  /**
   * Sessions ordered (to within ACTIVITY_GRANULARITY_MS) from the longest silent to the most recently
   * heard, so the reaper visits only the sessions that may be idle instead of sweeping every client.
   */
  private readonly byActivity = new Set<Session>();

  get size(): number {
    return this.byAddress.size;
  }

  get(address: Address): Session | undefined {
    return this.byAddress.get(peerKey(address));
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
      addressKey: peerKey(fields.address),
      lastSeen: now,
      activityMark: now,
      lastActive: now,
      rooms: new SmallSet<Room>(),
      current: undefined,
      away: null,
      lastThrottleNoticeAt: Number.NEGATIVE_INFINITY,
      unansweredPings: 0,
      lastPingSentAt: Number.NEGATIVE_INFINITY,
    };
    this.byAddress.set(session.addressKey, session);
    this.byNick.set(session.nickKey, session);
    this.byActivity.add(session);
    this.perHost.set(session.address.host, this.countFromHost(session.address.host) + 1);
    return session;
  }

  /** Records that `session` was heard at `now` (any datagram). */
  touch(session: Session, now: number): void {
    session.lastSeen = now;
    if (now - session.activityMark < ACTIVITY_GRANULARITY_MS) return;
    session.activityMark = now;
    this.byActivity.delete(session);
    this.byActivity.add(session);
  }

  /**
   * The sessions not heard since `before` (lastSeen < before), longest silent first. Only sessions that
   * may qualify are visited: the walk stops at the first session whose activity mark is recent enough.
   * Sessions heard recently but not yet re-ordered are moved along as they are met.
   */
  *silentSince(before: number): Generator<Session> {
    for (const session of this.byActivity) {
      if (session.activityMark >= before) return;
      if (session.lastSeen < before) {
        yield session;
        continue;
      }
      session.activityMark = session.lastSeen;
      this.byActivity.delete(session);
      this.byActivity.add(session);
    }
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
    this.byActivity.delete(session);
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
