/**
 * What relays of one chat network share, in the core's own words: room lines with one order per room,
 * private lines to a nick on any relay, presence, cluster-wide nick claims and room state changes. Like
 * the store (store.ts), this is a port the core is handed: a single relay gets the in-process bus, a
 * cluster the Redis one, chosen at start-up; the core never imports a driver.
 *
 * The lessons it is shaped by (Socket.IO's Redis adapters, Centrifugo's Redis engine): plain pub/sub
 * drops whatever is published while a subscriber is away, so every event is appended to a stream and
 * each relay reads on from the last id it saw after any reconnect; a room's order has one authority, an
 * atomic script that numbers the line and appends it; and a dead relay's nicks and presence are released
 * after a bounded time (its heartbeat's TTL plus one reaper pass), never left as ghosts.
 *
 * Every change a relay makes goes through one ordered outbox: while the bus back end is unreachable the
 * relay keeps serving its own clients, the bus says so (`status`), and the outbox is replayed when it
 * returns, each change applied exactly once.
 */
import type { HistoryPage, HistoryQuery, PrivateLineInput, RoomLine, RoomLineInput } from './store.ts';

/** The bus protocol spoken between relays; a relay refuses to join a cluster that speaks another. */
export const CLUSTER_PROTOCOL_VERSION = 1;

/** A relay's heartbeat TTL by default: a dead relay's nicks are claimable this long after it died. */
export const DEFAULT_NODE_TTL_MS = 15_000;

/** How many heartbeats fit in one TTL: a relay survives this many lost heartbeats, less one. */
export const HEARTBEATS_PER_TTL = 3;

/** The node ids a relay may take: printable, short, and safe inside a key. */
export const NODE_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** Why a join or leave happened, as its peers are told. */
export type PresenceReason = 'join' | 'part' | 'quit' | 'timeout' | 'kick';

/** A room state change, as the relay that made it announces it to the others. */
export type RoomChange =
  | { readonly type: 'topic'; readonly topic: string }
  | { readonly type: 'invite-only'; readonly on: boolean }
  | { readonly type: 'operator'; readonly nickKey: string; readonly nick: string; readonly on: boolean }
  | { readonly type: 'ban'; readonly mask: string; readonly on: boolean }
  | { readonly type: 'invite'; readonly nickKey: string; readonly nick: string }
  | { readonly type: 'kick'; readonly nickKey: string; readonly nick: string; readonly reason: string }
  /**
   * A server operator's `/kill` (announced on the lobby's key, `by` the killer): the victim's relay tells it
   * and disconnects it, every other relay tells its members who shared a room with it. Not room state.
   */
  | { readonly type: 'kill'; readonly nickKey: string; readonly nick: string; readonly reason: string }
  /**
   * A `/nick` (announced on the lobby's key, `by` the old nick): every other relay knows the member by its
   * new nick in the rooms it shares and says so once; the leaves and joins that follow are silent there.
   * Not room state.
   */
  | {
      readonly type: 'rename';
      readonly nickKey: string;
      readonly nick: string;
      readonly newKey: string;
      readonly newNick: string;
    };

/**
 * A room's moderation state as the cluster keeps it: the apply script updates it in the same atomic step
 * as each `room` event (and drops a member's operator status when it leaves), so a relay that starts
 * later reads what the events told the others. Bans travel as their masks (relay/cluster/moderation.ts).
 */
export interface ClusterRoomSnapshot {
  readonly roomKey: string;
  readonly topic: string;
  readonly inviteOnly: boolean;
  readonly operators: readonly { readonly nickKey: string; readonly nick: string }[];
  readonly bans: readonly string[];
  readonly invited: readonly string[];
}

/** How a relay joins a room to the cluster. */
export interface JoinOptions {
  /**
   * The member becomes the room's operator if the room has no member on any relay: decided by the one
   * atomic step that adds it, so of two first members on two relays only one wins. The cluster then
   * announces it as an `operator` room event `by` the member itself.
   */
  readonly firstOperator?: boolean;
}

/** A private line to be routed to whichever relay holds `toKey`: the store's private line, as kept. */
export type DirectLineInput = PrivateLineInput;

/** A room member as the cluster knows it: which relay serves it. */
export interface ClusterMember {
  readonly nickKey: string;
  readonly nick: string;
  readonly node: string;
}

/** A live relay of the cluster. */
export interface ClusterNode {
  readonly id: string;
  readonly version: number;
  /** Unix ms when this instance joined. */
  readonly startedAt: number;
}

/**
 * What happened in the cluster, in the order the bus back end applied it. Each relay hears every event,
 * its own included (`node` says whose), so the same code renders a line from here or from elsewhere.
 */
export type ClusterEvent =
  | { readonly type: 'line'; readonly node: string; readonly line: RoomLine }
  | { readonly type: 'direct'; readonly node: string; readonly line: DirectLineInput }
  | {
      readonly type: 'presence';
      readonly node: string;
      readonly roomKey: string;
      readonly member: ClusterMember;
      readonly joined: boolean;
      readonly reason: PresenceReason;
    }
  | {
      readonly type: 'room';
      readonly node: string;
      readonly roomKey: string;
      readonly by: string;
      readonly change: RoomChange;
    }
  | { readonly type: 'node-up'; readonly node: string; readonly version: number }
  /** A relay stopped heartbeating and was reaped: these members left (as timeouts), these nicks are free. */
  | {
      readonly type: 'node-gone';
      readonly node: string;
      readonly nicks: readonly string[];
      readonly left: readonly { readonly roomKey: string; readonly member: ClusterMember }[];
    }
  /**
   * Every room's kept state as of one point of the event stream (hello's), delivered at that point: after
   * the events it holds and before the first it does not, so none is missed or counted twice. Heard on
   * start, before any other event, and after every hello (a reconnect, a reset): it replaces what the
   * relay knew of the rooms' state, which also recovers changes whose events the stream's cap dropped.
   */
  | { readonly type: 'room-states'; readonly rooms: readonly ClusterRoomSnapshot[] }
  /**
   * Events were lost to this relay (the shared event stream's cap was passed while it was away): room
   * lines are recovered from each room's history (`roomHistory` after the last id seen); presence from
   * `members`.
   */
  | { readonly type: 'gap'; readonly missed: number }
  /**
   * The back end lost its state (Redis restarted without persistence): room ids start again at 1, and
   * this relay has claimed its nicks and joined its rooms again (any nick taken meanwhile is `nick-lost`).
   */
  | { readonly type: 'reset' }
  /**
   * A nick this relay claimed was taken elsewhere: while it was cut off or presumed dead, or by a
   * takeover (a client's proven resumption on another relay).
   */
  | { readonly type: 'nick-lost'; readonly nickKey: string; readonly nick: string; readonly owner: string }
  /** `node` took `nickKey` over from the live relay `from` (claimNick with `takeover`). */
  | {
      readonly type: 'nick-taken';
      readonly node: string;
      readonly nickKey: string;
      readonly nick: string;
      readonly from: string;
    };

/**
 * - `connecting`: before the first successful hello;
 * - `connected`: changes are applied as they are made;
 * - `degraded`: the back end is unreachable; local service goes on, changes wait in the outbox;
 * - `closed`: after close().
 */
export type ClusterState = 'connecting' | 'connected' | 'degraded' | 'closed';

export interface ClusterStatus {
  readonly state: ClusterState;
  /** One line, for a log and /healthz (never a password). */
  readonly detail: string;
  /** Changes waiting to be applied. */
  readonly pending: number;
}

export type ClusterErrorCode =
  /** The cluster URL cannot be read. */
  | 'bad-url'
  /** The back end refused our credentials. */
  | 'auth'
  /** The cluster speaks another bus protocol version. */
  | 'version-mismatch'
  /** Another live relay has this node id. */
  | 'node-id-in-use'
  /** The back end cannot be reached (the bus retries; this is only ever thrown by a read). */
  | 'unavailable'
  /** This relay's TTL lapsed (it was presumed dead and released): it says hello and claims again. */
  | 'expired'
  /** The outbox is full: the back end has been away too long. */
  | 'backlog-full'
  /** The back end answered something this relay cannot read. */
  | 'protocol'
  | 'closed';

/** A bus error: a code for programs and one line for people. */
export interface ClusterFailure {
  readonly code: ClusterErrorCode;
  readonly message: string;
}

export interface ClusterListener {
  event(event: ClusterEvent): void;
  /** The bus's state changed (connected, degraded, ...). */
  status(status: ClusterStatus): void;
  /**
   * The bus cannot go on (a version mismatch found after a reconnect, the node id taken, credentials
   * refused): the relay should stop or run alone.
   */
  fatal(failure: ClusterFailure): void;
}

export interface ClaimOptions {
  /**
   * Grants the nick even if another live relay holds it: for a client whose resumption was proven (a
   * ticket sealed with `sharedKey`). The old holder hears `nick-lost` for it.
   */
  readonly takeover?: boolean;
}

/** The length of the cluster's shared key, in bytes. */
export const SHARED_KEY_BYTES = 32;

export type NickClaim =
  /** `provisional`: granted locally while the back end is away; confirmed later or reported `nick-lost`. */
  { readonly ok: true; readonly provisional: boolean } | { readonly ok: false; readonly owner: string };

/** Where a private line went: the relay that holds the nick, or nowhere. */
export type DirectRoute = { readonly ok: true; readonly node: string } | { readonly ok: false };

export interface PublishedLine {
  /** The line's id in its room: 1, 2, 3, ... with one authority for the whole cluster. */
  readonly id: number;
}

export interface ClusterStats {
  readonly pending: number;
  readonly applied: number;
  readonly eventsRead: number;
  /** Events found missing by their numbers (see the `gap` event). */
  readonly eventsMissed: number;
  /** Malformed entries skipped: the bus never trusts what it reads. */
  readonly malformed: number;
}

export interface ClusterBus {
  readonly nodeId: string;
  /**
   * Says hello to the cluster (the version check) and starts reading. Resolves once connected, or at the
   * first failure to connect (then `degraded`, retrying with back-off); rejects with a ClusterFailure
   * for a fatal error (bad credentials, version mismatch, node id in use).
   */
  start(listener: ClusterListener): Promise<void>;
  status(): ClusterStatus;

  /** Numbers the line in its room and appends it to the room's stream; resolves when applied. */
  publishLine(line: RoomLineInput): Promise<PublishedLine>;
  /** Routes a private line to the relay holding `toKey`; resolves when applied. */
  sendDirect(line: DirectLineInput): Promise<DirectRoute>;
  announceRoom(roomKey: string, by: string, change: RoomChange): Promise<void>;

  /**
   * Claims a nick key for the whole cluster: of two relays claiming one key at once, one wins. A claim
   * already held by this relay succeeds again. Look-alikes share a key (protocol/lookalike.ts).
   */
  claimNick(nickKey: string, nick: string, options?: ClaimOptions): Promise<NickClaim>;
  releaseNick(nickKey: string): Promise<void>;
  joinRoom(
    roomKey: string,
    member: { readonly nickKey: string; readonly nick: string },
    reason: PresenceReason,
    options?: JoinOptions,
  ): Promise<void>;
  leaveRoom(roomKey: string, nickKey: string, reason: PresenceReason): Promise<void>;

  /** Every member of the room on every live relay. Rejects with `unavailable` while degraded. */
  members(roomKey: string): Promise<ClusterMember[]>;
  nodes(): Promise<ClusterNode[]>;
  /** Every room's kept moderation state (rooms with none are absent). Rejects with `unavailable` while degraded. */
  roomStates(): Promise<ClusterRoomSnapshot[]>;
  /** The room's kept lines, numbered by the cluster. Rejects with `unavailable` while degraded. */
  roomHistory(roomKey: string, query: HistoryQuery): Promise<HistoryPage<RoomLine>>;

  /**
   * 32 random bytes made once per cluster (by whichever relay asks first) and the same on every relay:
   * the key that seals and verifies session resumption tickets. Never logged. Rejects with `unavailable`
   * while degraded; a back end that lost its state (`reset`) has a new one.
   */
  sharedKey(): Promise<Uint8Array>;

  stats(): ClusterStats;
  /**
   * Applies what the outbox holds (if the back end is reachable), releases this relay's nicks and
   * presence, and disconnects. Resolves even if the back end is away: then the cluster releases them
   * after the TTL.
   */
  close(): Promise<void>;
}
