/**
 * What the relay keeps beyond a session, in the core's own words: registered accounts, the kept state of
 * rooms (topic, modes, invitations, bans, operators), and room history (and private history, if asked).
 * The core never imports a driver: the CLI picks a back end (memory, SQLite; later a cluster one) and
 * hands it over at start-up, as it hands over an AccountDirectory today.
 *
 * Reads of accounts and kept rooms are synchronous: the back end loads them once when it opens (there are
 * few) and keeps them in memory. Writes are write-behind: they change that memory at once and are
 * committed later, in batches, off the per-datagram path; each returns a commit ticket, and the store
 * reports when the tickets up to a number are durable, so a binding can hold a v2 acknowledgement until
 * the line it acknowledges has been committed. History queries are asynchronous, because a cluster back
 * end must ask a server: for the core they are tasks, answered later, like the check-secret task.
 */
import type { AccountDirectory, AccountRecord } from './accounts.ts';
import type { KeptOperator, RoomBan } from './session.ts';

export type { KeptOperator } from './session.ts';

/** /history without a count returns this many lines. */
export const DEFAULT_HISTORY_LINES = 20;
export { MAX_HISTORY_PAGE } from '../protocol/limits.ts';
/** Retention: lines kept per room (and per private conversation), oldest pruned first. */
export const DEFAULT_HISTORY_MAX_LINES = 10_000;
/** Retention: lines older than this are pruned (30 days). */
export const DEFAULT_HISTORY_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

/** What of a room outlives its members and a restart, restored when the room is next created. */
export interface KeptRoom {
  readonly key: string;
  readonly name: string;
  readonly topic: string;
  readonly inviteOnly: boolean;
  /** Nick keys invited while the room is invite-only. */
  readonly invited: readonly string[];
  readonly bans: readonly RoomBan[];
  readonly operators: readonly KeptOperator[];
}

/** A plain line (`<nick> text`) or a /me action (`* nick text`). */
export type LineKind = 'say' | 'action';

/** A relayed room line as the core hands it over: its text already sanitised and checked for size. */
export interface RoomLineInput {
  readonly roomKey: string;
  readonly roomName: string;
  /** Server time, Unix ms (the binding's wall clock, not the core's monotonic one). */
  readonly at: number;
  readonly kind: LineKind;
  readonly nick: string;
  readonly text: string;
}

/**
 * A kept room line. Ids count 1, 2, 3, ... per room. After an unclean stop (kill -9, a crash) they jump
 * ahead, by at most MAX_UNCOMMITTED_LINES, so that an id handed out live but never committed is never
 * given to another line: a client that saw it and asks for what came after misses nothing.
 */
export interface RoomLine extends RoomLineInput {
  readonly id: number;
}

/** A private line (/msg), kept only when the relay is told to keep them. */
export interface PrivateLineInput {
  readonly fromKey: string;
  readonly fromNick: string;
  readonly toKey: string;
  readonly toNick: string;
  readonly at: number;
  readonly kind: LineKind;
  readonly text: string;
}

/** A kept private line; ids count per conversation (the two nick keys, in either order). */
export interface PrivateLine extends PrivateLineInput {
  readonly id: number;
}

/**
 * Which lines a history query wants, oldest first in the answer:
 * - `last`: the newest `limit` lines (/history);
 * - `before`: the `limit` lines just older than `id` (/history #room before <id>: paging back);
 * - `after`: the oldest `limit` lines newer than `id` (gap fill after a reconnect).
 * `limit` is cut to MAX_HISTORY_PAGE; 0 or less asks for nothing.
 */
export type HistoryQuery =
  | { readonly type: 'last'; readonly limit: number }
  | { readonly type: 'before'; readonly id: number; readonly limit: number }
  | { readonly type: 'after'; readonly id: number; readonly limit: number };

export interface HistoryPage<Line> {
  /** Oldest first. */
  readonly lines: readonly Line[];
  /** More lines lie beyond the page in the query's direction (older for last/before, newer for after). */
  readonly more: boolean;
}

/** A number a write returns; `committed(ticket)` says every write up to it is durable. */
export type CommitTicket = number;

export interface AppendedLine {
  readonly id: number;
  readonly ticket: CommitTicket;
}

export type StoreErrorCode =
  /** The file was written by a newer udpchat (its schema version is higher than this one knows). */
  | 'newer-schema'
  /** Another process holds the file. */
  | 'locked'
  /** Not a database, or a damaged one. */
  | 'corrupt'
  /** The file or its directory cannot be written. */
  | 'read-only'
  /** The disk (or the configured size cap) is full. */
  | 'disk-full'
  /** Any other I/O failure, or a file that cannot be opened at all. */
  | 'io'
  /** An import would change an account that already exists. */
  | 'conflict'
  /** Writes that could not be committed when the store was closed. */
  | 'unsaved';

/** A commit that failed: its writes are kept and retried after `retryInMs`. */
export interface StoreFailure {
  readonly code: StoreErrorCode;
  /** One line, for a log. */
  readonly message: string;
  /** Writes waiting, the failed batch included. */
  readonly pendingWrites: number;
  readonly retryInMs: number;
}

export interface StoreListener {
  /** Every write whose ticket is at most `ticket` is durable. Never called from inside a write. */
  committed(ticket: CommitTicket): void;
  /** A commit failed; nothing was dropped, the store retries and keeps serving meanwhile. */
  failed(failure: StoreFailure): void;
}

/** Counters for metrics and tests. */
export interface StoreStats {
  readonly pendingWrites: number;
  readonly lastTicket: CommitTicket;
  readonly committedTicket: CommitTicket;
  readonly commits: number;
  readonly commitFailures: number;
  /** Lines not kept because too many writes were waiting on a failing disk (appendLine returned null). */
  readonly linesRefused: number;
  /** Lines removed by retention (max lines, max age) or, in memory, by the total cap. */
  readonly linesPruned: number;
}

/** The accounts a store holds: the core's AccountDirectory, plus what `udpchat account` needs. */
export interface AccountStore extends AccountDirectory {
  listAccounts(): AccountRecord[];
  /** Adds or replaces the account with `record.key`. */
  saveAccount(record: AccountRecord): CommitTicket;
  removeAccount(key: string): CommitTicket;
}

export interface RelayStore extends AccountStore {
  keptRoom(key: string): KeptRoom | undefined;
  keptRooms(): KeptRoom[];
  /** Replaces the kept state of `room.key`. */
  saveRoom(room: KeptRoom): CommitTicket;
  forgetRoom(key: string): CommitTicket;

  /**
   * Keeps a room line and gives it its id, synchronously, so the live copy can carry it. Null when the
   * line is not kept: MAX_UNCOMMITTED_LINES writes are already waiting for a failing disk (counted in
   * `linesRefused`; the caller relays it without an id and must not acknowledge it as kept).
   */
  appendLine(line: RoomLineInput): AppendedLine | null;
  appendPrivateLine(line: PrivateLineInput): AppendedLine | null;
  /**
   * The last id handed out in the room (0 if none). A client that has seen it has missed nothing; after
   * an unclean stop it is past the newest kept line (the jump described at RoomLine).
   */
  lastLineId(roomKey: string): number;
  /**
   * A secret the relay keeps across restarts (the v2 reset key: a restarted relay can then end its previous
   * sessions at once with a REJECT 4 their clients believe, instead of leaving them to an idle timeout).
   * Returns the kept one, or keeps and returns `create()`; the first keeping is committed before this
   * returns, because a secret handed out and then lost would be worse than none. Never logged.
   */
  keptSecret(name: string, create: () => Uint8Array): Uint8Array;
  /** A query sees every write made before it (unless commits are failing: then what was committed). */
  roomHistory(roomKey: string, query: HistoryQuery): Promise<HistoryPage<RoomLine>>;
  privateHistory(keyA: string, keyB: string, query: HistoryQuery): Promise<HistoryPage<PrivateLine>>;

  /** The highest ticket such that it and every earlier one are durable. */
  readonly committedTicket: CommitTicket;
  /** The ticket of the latest write (0 before any): a binding compares it with `committedTicket`. */
  readonly lastTicket: CommitTicket;
  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: StoreListener): () => void;
  /** Commits what is waiting now (even while backing off from a failure); rejects if that commit fails. */
  flush(): Promise<void>;
  stats(): StoreStats;
  /**
   * Commits what is waiting, stops the store's timers and releases the file. Rejects (code `unsaved`,
   * saying how many writes) if some writes could not be committed: never a silent loss.
   */
  close(): Promise<void>;
}

/**
 * Writes waiting for a commit, at most; past it, new lines are refused rather than memory growing while
 * the disk fails. Room and account writes are never refused: they replace a waiting write of the same
 * room or account, so they are bounded by the number of rooms and accounts.
 */
export const MAX_UNCOMMITTED_LINES = 65_536;
