/**
 * One joined client. A relay may hold 100,000 mostly idle ones, so the layout is chosen for memory:
 * - a class, so every session shares one hidden class (sessions built as object literals with a spread
 *   each got their own, about 600 bytes a client in maps and descriptor arrays);
 * - timestamps as small-integer stamps (session-clock.ts), read back through getters;
 * - what few clients ever set (away, account, operator flag, throttle notice) in one object made on demand;
 * - the flood-control bucket made at the first throttled line, which an idle client never sends.
 *
 * A room (the seed's "Channels / rooms" variant; the table of them is room-table.ts) is declared here too:
 * a session lists its rooms and a room its members, and two files that each named the other's type would
 * import each other.
 */
import type { Address } from '../protocol/address.ts';
import type { ListLinks } from './intrusive-list.ts';
import type { SessionClock } from './session-clock.ts';
import { SmallSet } from './small-set.ts';
import type { TokenBucket } from './token-bucket.ts';

export interface RoomBan {
  /** The account key of a registered nick, or null for an address ban. */
  readonly account: string | null;
  /** The source host of an unregistered nick (its port changes too easily to ban on). */
  readonly host: string | null;
  /** The nick key the ban was made for, so `/unban #room nick` finds it. */
  readonly nickKey: string;
  readonly nick: string;
}

/**
 * A room operator as a store can remember it: a session does not outlive the process, an identity does.
 * A registered operator is its account key; an unregistered one is its nick key from its source host
 * (the same split as bans, moderation/bans.ts: a port changes with every restart of a client).
 */
export interface KeptOperator {
  /** The account key of a registered nick, or null. */
  readonly account: string | null;
  readonly nickKey: string;
  /** The source host of an unregistered nick, or null for a registered one. */
  readonly host: string | null;
}

export interface Room {
  readonly name: string;
  readonly key: string;
  topic: string;
  readonly members: Set<Session>;
  readonly operators: Set<Session>;
  inviteOnly: boolean;
  /** Nick keys invited while the room is invite-only. */
  readonly invited: Set<string>;
  readonly bans: RoomBan[];
  /** The identities that are operators here, present or not (room-keeper.ts). */
  readonly keptOperators: KeptOperator[];
}

/** What most sessions never need. */
class SessionExtras {
  /** null when present; the away message (possibly empty) otherwise. */
  away: string | null = null;
  lastThrottleNoticeAt = Number.NEGATIVE_INFINITY;
  /** The client's resumption key (base64url) once it asked for a ticket: its proven resumption may replace it. */
  resumptionClient: string | null = null;

  constructor(
    readonly account: string | null,
    readonly serverOperator: boolean,
  ) {}
}

export class Session implements ListLinks<Session> {
  /** Rooms in the order they were joined; empty only after a kick out of the lobby, its last room. */
  readonly rooms = new SmallSet<Room>();
  /** Where plain lines go. */
  current: Room | undefined = undefined;
  /** Flood control for this client's lines; undefined until flood control first counts one (Relay.admit). */
  lines: TokenBucket | undefined = undefined;
  /** Server-driven keep-alive: pings sent since the client was last heard. */
  unansweredPings = 0;
  /** The activity order (SessionTable): the session heard less recently, and more recently. */
  prev: Session | undefined = undefined;
  next: Session | undefined = undefined;
  /** Stamps (SessionClock): last datagram of any kind, last line said, activity mark, last ping sent. */
  seenStamp: number;
  activeStamp: number;
  markStamp: number;
  pingStamp: number | null = null;
  private extras: SessionExtras | undefined;

  constructor(
    private readonly clock: SessionClock,
    /** A v1 client's address, or a v2 client's session (see peer.ts). */
    readonly address: Address,
    public nick: string,
    public nickKey: string,
    account: string | null,
    serverOperator: boolean,
    now: number,
  ) {
    const stamp = clock.stamp(now);
    this.seenStamp = stamp;
    this.activeStamp = stamp;
    this.markStamp = stamp;
    this.extras =
      account === null && !serverOperator ? undefined : new SessionExtras(account, serverOperator);
  }

  /** Last datagram of any kind (keep-alive and eviction); SessionTable.touch moves it. */
  get lastSeen(): number {
    return this.clock.time(this.seenStamp);
  }

  /** Last line said (the idle time shown by /who). */
  get lastActive(): number {
    return this.clock.time(this.activeStamp);
  }

  set lastActive(now: number) {
    this.activeStamp = this.clock.stamp(now);
  }

  /**
   * When the session last moved to the young end of the activity order (see SessionTable.touch); never
   * later than `lastSeen`.
   */
  get activityMark(): number {
    return this.clock.time(this.markStamp);
  }

  get lastPingSentAt(): number {
    return this.pingStamp === null ? Number.NEGATIVE_INFINITY : this.clock.time(this.pingStamp);
  }

  set lastPingSentAt(now: number) {
    this.pingStamp = this.clock.stamp(now);
  }

  /** The account key when the nickname was authenticated. */
  get account(): string | null {
    return this.extras?.account ?? null;
  }

  get serverOperator(): boolean {
    return this.extras?.serverOperator ?? false;
  }

  /** null when present; the away message (possibly empty) otherwise. */
  get away(): string | null {
    return this.extras?.away ?? null;
  }

  set away(message: string | null) {
    if (message !== null || this.extras !== undefined) this.more().away = message;
  }

  get lastThrottleNoticeAt(): number {
    return this.extras?.lastThrottleNoticeAt ?? Number.NEGATIVE_INFINITY;
  }

  set lastThrottleNoticeAt(now: number) {
    this.more().lastThrottleNoticeAt = now;
  }

  get resumptionClient(): string | null {
    return this.extras?.resumptionClient ?? null;
  }

  set resumptionClient(clientKey: string | null) {
    if (clientKey !== null || this.extras !== undefined) this.more().resumptionClient = clientKey;
  }

  /** Moves every stamp back by `shift` ms when the clock's origin moves forward by as much. */
  shiftStamps(shift: number): void {
    this.seenStamp -= shift;
    this.activeStamp -= shift;
    this.markStamp -= shift;
    if (this.pingStamp !== null) this.pingStamp -= shift;
  }

  private more(): SessionExtras {
    this.extras ??= new SessionExtras(null, false);
    return this.extras;
  }
}
