/**
 * The seam between the bus logic every relay runs (node/: outbox, reader, heartbeat, reconciliation)
 * and what holds the shared state (memory/: one process; redis/: a Redis server). A back end applies
 * numbered batches of changes atomically and idempotently, and serves one ordered event stream.
 */
import type {
  ClusterEvent,
  ClusterMember,
  ClusterNode,
  ClusterRoomSnapshot,
  DirectLineInput,
  PresenceReason,
  RoomChange,
} from '../relay/cluster-bus.ts';
import type { HistoryPage, HistoryQuery, RoomLine, RoomLineInput } from '../relay/store.ts';

/** This relay as the back end knows it. `instance` tells a restarted relay from the one it replaces. */
export interface NodeIdentity {
  readonly id: string;
  readonly instance: string;
  readonly version: number;
  readonly ttlMs: number;
  readonly startedAt: number;
}

/** One change, as the outbox sends it. */
export type BusOp =
  | { readonly type: 'line'; readonly line: RoomLineInput }
  | { readonly type: 'direct'; readonly line: DirectLineInput }
  | { readonly type: 'room'; readonly roomKey: string; readonly by: string; readonly change: RoomChange }
  | {
      readonly type: 'claim';
      readonly nickKey: string;
      readonly nick: string;
      /** Taken even from a live holder (a proven resumption); the holder hears `nick-taken`. */
      readonly takeover?: boolean;
    }
  | { readonly type: 'release'; readonly nickKey: string }
  | {
      readonly type: 'join';
      readonly roomKey: string;
      readonly nickKey: string;
      readonly nick: string;
      readonly reason: PresenceReason;
      /** JoinOptions.firstOperator: an operator if the room has no member anywhere. */
      readonly firstOperator?: boolean;
    }
  | {
      readonly type: 'leave';
      readonly roomKey: string;
      readonly nickKey: string;
      readonly reason: PresenceReason;
    };

/**
 * A change's answer: a line's id in its room; the relay a private line went to ('' for none); a claim's
 * owner when it was refused ('' when won); 0 for the rest.
 */
export type OpResult = number | string;

/** Where a relay is in the shared streams: the last ids read and the last event number seen. */
export interface EventCursor {
  /** Names the back end's data: another epoch after a reconnect means it lost its state. */
  readonly epoch: string;
  readonly events: string;
  readonly inbox: string;
  readonly eventNumber: number;
}

/**
 * What hello answers: where the streams end now and every room's kept state at that same point, read in
 * one atomic step, so the state holds exactly the events numbered up to `cursor.eventNumber`.
 */
export interface Joined {
  readonly cursor: EventCursor;
  readonly rooms: ClusterRoomSnapshot[];
}

export interface ReadEntry {
  readonly id: string;
  /** The event's number in the shared stream (inbox entries: 0). */
  readonly number: number;
  /** Null for an entry that could not be read. */
  readonly event: ClusterEvent | null;
}

export interface ReadBatch {
  readonly events: readonly ReadEntry[];
  readonly inbox: readonly ReadEntry[];
}

export interface ClusterBackend {
  /**
   * Registers the relay (version check, node id check, heartbeat) and returns where the streams end now,
   * with the rooms' kept state at that point. Throws a ClusterError: `version-mismatch`,
   * `node-id-in-use`, `auth`, or `unavailable`.
   */
  hello(node: NodeIdentity): Promise<Joined>;
  /**
   * Applies `ops`, numbered from `first`, in one atomic step. A batch sent again with the same `first`
   * (its answer was lost with the connection) is not applied twice: its stored answers come back.
   */
  apply(node: NodeIdentity, first: number, ops: readonly BusOp[]): Promise<OpResult[]>;
  /** Renews the relay's TTL; false if it had expired or another instance holds the id. */
  heartbeat(node: NodeIdentity): Promise<boolean>;
  /** Releases every relay whose heartbeat expired; returns how many. */
  reap(): Promise<number>;
  /** Releases this relay's nicks and presence now (a clean stop). */
  goodbye(node: NodeIdentity): Promise<void>;
  /** Entries after the cursor; waits up to `blockMs` for one. */
  read(node: NodeIdentity, cursor: EventCursor, blockMs: number): Promise<ReadBatch>;
  members(roomKey: string): Promise<ClusterMember[]>;
  nodes(): Promise<ClusterNode[]>;
  roomStates(): Promise<ClusterRoomSnapshot[]>;
  roomHistory(roomKey: string, query: HistoryQuery): Promise<HistoryPage<RoomLine>>;
  /** The cluster's shared key (SHARED_KEY_BYTES), made by the first relay that asks. */
  sharedKey(): Promise<Uint8Array>;
  /** Tells `listener` whenever the back end becomes reachable or unreachable. */
  onReachable(listener: (reachable: boolean, detail: string) => void): void;
  close(): Promise<void>;
}
