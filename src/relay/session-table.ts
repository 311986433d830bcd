/**
 * The relay's client table: the seed's `{client_addr: Client}` map, plus an index by nickname key so a
 * nickname (case-insensitive, look-alikes included) belongs to one client at a time, and a count of
 * clients per source host so one host cannot fill the table.
 *
 * v1 clients are indexed by host, then port: a lookup per datagram builds no `host:port` string and a
 * session keeps none. v2 clients are indexed by their session key (see peer.ts).
 */
import type { Address } from '../protocol/address.ts';
import { IntrusiveList } from './intrusive-list.ts';
import { isSessionPeer } from './peer.ts';
import { Session } from './session.ts';
import { SessionClock } from './session-clock.ts';

/**
 * A session heard again moves to the young end of the activity order at most this often: the order is
 * exact to within this much, which is plenty for sweeps measured in seconds and keeps the hot path cheap.
 */
const ACTIVITY_GRANULARITY_MS = 1_000;

export interface NewSession {
  readonly address: Address;
  readonly nick: string;
  readonly nickKey: string;
  readonly account: string | null;
  readonly serverOperator: boolean;
}

/** The v1 sessions of one source host, by port; `host` is the one copy of the host string they share. */
interface HostSessions {
  readonly host: string;
  readonly byPort: Map<number, Session>;
}

export class SessionTable {
  private readonly clock = new SessionClock();
  private readonly byHost = new Map<string, HostSessions>();
  private readonly bySessionKey = new Map<string, Session>();
  private readonly byNick = new Map<string, Session>();
  private readonly perHost = new Map<string, number>();
  /**
   * Every session, ordered (to within ACTIVITY_GRANULARITY_MS) from the longest silent to the most
   * recently heard, so the reaper visits only the sessions that may be idle instead of sweeping every client.
   */
  private readonly byActivity = new IntrusiveList<Session>();

  get size(): number {
    return this.byActivity.size;
  }

  get(address: Address): Session | undefined {
    if (isSessionPeer(address)) return this.bySessionKey.get(address.sessionKey);
    return this.byHost.get(address.host)?.byPort.get(address.port);
  }

  ownerOfNick(nickKey: string): Session | undefined {
    return this.byNick.get(nickKey);
  }

  countFromHost(host: string): number {
    return this.perHost.get(host) ?? 0;
  }

  /** Keeps the stored stamps small (see session-clock.ts); the relay calls it as its clock moves. */
  advance(now: number): void {
    if (!this.clock.isDue(now)) return;
    const shift = this.clock.rebase(now);
    for (const session of this.byActivity) session.shiftStamps(shift);
  }

  add(fields: NewSession, now: number): Session {
    this.advance(now);
    const { nick, nickKey, account, serverOperator } = fields;
    const session = new Session(
      this.clock,
      this.own(fields.address),
      nick,
      nickKey,
      account,
      serverOperator,
      now,
    );
    if (isSessionPeer(session.address)) this.bySessionKey.set(session.address.sessionKey, session);
    else this.hostSessions(session.address.host).byPort.set(session.address.port, session);
    this.byNick.set(nickKey, session);
    this.byActivity.push(session);
    this.perHost.set(session.address.host, this.countFromHost(session.address.host) + 1);
    return session;
  }

  /** Records that `session` was heard at `now` (any datagram). */
  touch(session: Session, now: number): void {
    this.advance(now);
    session.seenStamp = this.clock.stamp(now);
    if (session.seenStamp - session.markStamp < ACTIVITY_GRANULARITY_MS) return;
    session.markStamp = session.seenStamp;
    this.byActivity.moveToEnd(session);
  }

  /**
   * The sessions not heard since `before` (lastSeen < before), longest silent first. Only sessions that
   * may qualify are visited: the walk stops at the first session whose activity mark is recent enough.
   * Sessions heard recently but not yet re-ordered are moved along as they are met.
   */
  *silentSince(before: number): Generator<Session> {
    const cutoff = this.clock.relative(before);
    for (const session of this.byActivity) {
      if (session.markStamp >= cutoff) return;
      if (session.seenStamp < cutoff) {
        yield session;
        continue;
      }
      session.markStamp = session.seenStamp;
      this.byActivity.moveToEnd(session);
    }
  }

  rename(session: Session, nick: string, nickKey: string): void {
    this.byNick.delete(session.nickKey);
    session.nick = nick;
    session.nickKey = nickKey;
    this.byNick.set(nickKey, session);
  }

  remove(session: Session): boolean {
    if (this.get(session.address) !== session) return false;
    if (isSessionPeer(session.address)) this.bySessionKey.delete(session.address.sessionKey);
    else this.removeFromHost(session.address);
    this.byNick.delete(session.nickKey);
    this.byActivity.remove(session);
    const count = this.countFromHost(session.address.host) - 1;
    if (count > 0) this.perHost.set(session.address.host, count);
    else this.perHost.delete(session.address.host);
    return true;
  }

  /**
   * Iterates live sessions, longest silent first; callers must not add or remove while iterating.
   */
  values(): Iterable<Session> {
    return this.byActivity.values();
  }

  /**
   * The address the session keeps: a v2 session is its own identity; a v1 address is copied so that its
   * host string is the one copy shared by every client of that host (each datagram brings a new one).
   */
  private own(address: Address): Address {
    if (isSessionPeer(address)) return address;
    return { host: this.byHost.get(address.host)?.host ?? address.host, port: address.port };
  }

  private hostSessions(host: string): HostSessions {
    let sessions = this.byHost.get(host);
    if (sessions === undefined) {
      sessions = { host, byPort: new Map() };
      this.byHost.set(host, sessions);
    }
    return sessions;
  }

  private removeFromHost(address: Address): void {
    const sessions = this.byHost.get(address.host);
    if (sessions === undefined) return;
    sessions.byPort.delete(address.port);
    if (sessions.byPort.size === 0) this.byHost.delete(address.host);
  }
}
