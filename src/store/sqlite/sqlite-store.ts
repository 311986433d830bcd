/**
 * The relay's store in an SQLite file (`udpchat relay --db FILE`), on better-sqlite3. Accounts, kept rooms
 * and the history counters are read once at open and kept in memory, so the core reads them
 * synchronously; writes change that memory at once and reach the file by group commit (group-commit.ts);
 * history is read from the file by prepared statements on the primary key, so a query costs the same
 * with a thousand lines or a million.
 */
import type { AccountRecord } from '../../relay/accounts.ts';
import {
  type AppendedLine,
  type CommitTicket,
  type HistoryPage,
  type HistoryQuery,
  type KeptRoom,
  MAX_UNCOMMITTED_LINES,
  type PrivateLine,
  type PrivateLineInput,
  type RelayStore,
  type RoomLine,
  type RoomLineInput,
  type StoreListener,
  type StoreStats,
} from '../../relay/store.ts';
import { GroupCommit, type GroupCommitSettings, groupCommitSettings } from '../group-commit.ts';
import { conversationKey } from '../history-query.ts';
import { DEFAULT_LOCK_TIMEOUT_MS, DEFAULT_PRUNE_INTERVAL_MS } from '../limits.ts';
import { ListenerSet } from '../listener-set.ts';
import { type Retention, resolveRetention } from '../retention.ts';
import { nodeScheduler, type Scheduler, systemClock, type WallClock } from '../scheduler.ts';
import { StoreError } from '../store-error.ts';
import type { ConversationTable, PairConversation, RoomConversation } from './conversations.ts';
import { readPage, toPrivateLine, toRoomLine } from './history-reads.ts';
import {
  limitSize,
  markCleanStop,
  type OpenedDatabase,
  openDatabase,
  type SqliteDatabase,
} from './open-database.ts';
import { RetentionTimer } from './retention-timer.ts';
import { readSnapshot } from './snapshot.ts';
import { classify, storeErrorFor } from './sqlite-errors.ts';
import { prepareStatements, type Statements } from './statements.ts';
import { applyCounts, type StoreWrite, writeBatch } from './store-writes.ts';

export interface SqliteStoreOptions {
  /** The database file; created (mode 0600) if missing. */
  readonly path: string;
  readonly retention?: Partial<Retention>;
  readonly commit?: Partial<GroupCommitSettings>;
  readonly pruneIntervalMs?: number;
  /** A cap on the file's size: past it, commits fail as disk-full (and are retried) rather than fill the disk. */
  readonly maxBytes?: number | null;
  readonly lockTimeoutMs?: number;
  readonly scheduler?: Scheduler;
  readonly clock?: WallClock;
}

/** Opens (creating, migrating) the file; throws a StoreError with one clear line if it cannot be used. */
export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const retention = resolveRetention(options.retention);
  const opened = openDatabase(options.path, options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
  try {
    limitSize(opened.db, options.maxBytes ?? null);
    return new SqliteStore(options, retention, opened);
  } catch (error) {
    opened.db.close();
    throw storeErrorFor(options.path, error);
  }
}

export class SqliteStore implements RelayStore {
  readonly path: string;
  /** The schema version the file had before this open (0: a new file). */
  readonly migratedFrom: number;
  /** False when the last process to use the file stopped without closing it (ids then jump ahead). */
  readonly cleanStart: boolean;
  private readonly db: SqliteDatabase;
  private readonly statements: Statements;
  private readonly accounts: Map<string, AccountRecord>;
  private readonly rooms: Map<string, KeptRoom>;
  private readonly roomConversations: ConversationTable<RoomConversation>;
  private readonly pairConversations: ConversationTable<PairConversation>;
  private readonly listeners = new ListenerSet();
  private readonly commit: GroupCommit<StoreWrite>;
  private readonly retentionTimer: RetentionTimer;
  private closed = false;

  constructor(options: SqliteStoreOptions, retention: Retention, opened: OpenedDatabase) {
    this.path = options.path;
    this.db = opened.db;
    this.migratedFrom = opened.migratedFrom;
    this.cleanStart = opened.cleanStart;
    const scheduler = options.scheduler ?? nodeScheduler;
    this.statements = prepareStatements(this.db);
    const snapshot = readSnapshot(this.db, this.path);
    this.accounts = snapshot.accounts;
    this.rooms = snapshot.rooms;
    this.roomConversations = snapshot.roomConversations;
    this.pairConversations = snapshot.pairConversations;
    const describe = (error: unknown) => ({
      code: classify(error).code,
      message: storeErrorFor(this.path, error).message,
    });
    this.commit = new GroupCommit<StoreWrite>(
      {
        commit: (writes) => this.writeAll(writes),
        describe,
        committed: (ticket) => this.listeners.committed(ticket),
        failed: (failure) => this.listeners.failed(failure),
      },
      groupCommitSettings(MAX_UNCOMMITTED_LINES, options.commit),
      scheduler,
    );
    this.retentionTimer = new RetentionTimer({
      db: this.db,
      tables: [
        { conversations: this.roomConversations, pruning: this.statements.pruneRoomLines },
        { conversations: this.pairConversations, pruning: this.statements.prunePrivateLines },
      ],
      retention,
      intervalMs: options.pruneIntervalMs ?? DEFAULT_PRUNE_INTERVAL_MS,
      scheduler,
      clock: options.clock ?? systemClock,
      failure: (error, retryInMs) => ({ ...describe(error), pendingWrites: this.commit.waiting, retryInMs }),
      failed: (failure) => this.listeners.failed(failure),
    });
  }

  find(nickKey: string): AccountRecord | undefined {
    return this.accounts.get(nickKey);
  }

  listAccounts(): AccountRecord[] {
    return [...this.accounts.values()];
  }

  saveAccount(record: AccountRecord): CommitTicket {
    this.checkOpen();
    this.accounts.set(record.key, record);
    return this.commit.addKeyed(`account ${record.key}`, { type: 'account', key: record.key, record });
  }

  removeAccount(key: string): CommitTicket {
    this.checkOpen();
    this.accounts.delete(key);
    return this.commit.addKeyed(`account ${key}`, { type: 'account', key, record: null });
  }

  keptRoom(key: string): KeptRoom | undefined {
    return this.rooms.get(key);
  }

  keptRooms(): KeptRoom[] {
    return [...this.rooms.values()];
  }

  saveRoom(room: KeptRoom): CommitTicket {
    this.checkOpen();
    this.rooms.set(room.key, room);
    return this.commit.addKeyed(`room ${room.key}`, { type: 'room', key: room.key, room });
  }

  forgetRoom(key: string): CommitTicket {
    this.checkOpen();
    this.rooms.delete(key);
    return this.commit.addKeyed(`room ${key}`, { type: 'room', key, room: null });
  }

  appendLine(input: RoomLineInput): AppendedLine | null {
    this.checkOpen();
    const conversation = this.roomConversations.getOrMake(input.roomKey, (ref) => ({
      ref,
      key: input.roomKey,
      lastId: 0,
      count: 0,
    }));
    let id = 0;
    const ticket = this.commit.addLine(() => {
      id = ++conversation.lastId;
      const { roomKey, roomName, at, kind, nick, text } = input;
      return { type: 'room-line', conversation, line: { roomKey, roomName, id, at, kind, nick, text } };
    });
    return ticket === null ? null : { id, ticket };
  }

  appendPrivateLine(input: PrivateLineInput): AppendedLine | null {
    this.checkOpen();
    const [lowKey, highKey] =
      input.fromKey < input.toKey ? [input.fromKey, input.toKey] : [input.toKey, input.fromKey];
    const conversation = this.pairConversations.getOrMake(conversationKey(lowKey, highKey), (ref) => ({
      ref,
      lowKey,
      highKey,
      lastId: 0,
      count: 0,
    }));
    let id = 0;
    const ticket = this.commit.addLine(() => {
      id = ++conversation.lastId;
      const { fromKey, fromNick, toKey, toNick, at, kind, text } = input;
      return {
        type: 'private-line',
        conversation,
        line: { fromKey, fromNick, toKey, toNick, id, at, kind, text },
      };
    });
    return ticket === null ? null : { id, ticket };
  }

  keptSecret(name: string, create: () => Uint8Array): Uint8Array {
    const key = `secret:${name}`;
    const kept: unknown = this.db.prepare('SELECT value FROM store_meta WHERE name = ?').pluck().get(key);
    if (typeof kept === 'string') return new Uint8Array(Buffer.from(kept, 'base64'));
    const secret = create();
    // At start-up, once: written at once rather than through the group commit (see RelayStore.keptSecret).
    this.db
      .prepare('INSERT INTO store_meta (name, value) VALUES (?, ?)')
      .run(key, Buffer.from(secret).toString('base64'));
    return secret;
  }

  lastLineId(roomKey: string): number {
    return this.roomConversations.get(roomKey)?.lastId ?? 0;
  }

  async roomHistory(roomKey: string, query: HistoryQuery): Promise<HistoryPage<RoomLine>> {
    this.commitBeforeRead();
    const conversation = this.roomConversations.get(roomKey);
    if (conversation === undefined) return { lines: [], more: false };
    return readPage(this.statements.roomLines, conversation.ref, query, (row) => toRoomLine(roomKey, row));
  }

  async privateHistory(keyA: string, keyB: string, query: HistoryQuery): Promise<HistoryPage<PrivateLine>> {
    this.commitBeforeRead();
    const pair = this.pairConversations.get(conversationKey(keyA, keyB));
    if (pair === undefined) return { lines: [], more: false };
    return readPage(this.statements.privateLines, pair.ref, query, (row) => toPrivateLine(pair, row));
  }

  get committedTicket(): CommitTicket {
    return this.commit.committedTicket;
  }

  get lastTicket(): CommitTicket {
    return this.commit.lastTicket;
  }

  subscribe(listener: StoreListener): () => void {
    return this.listeners.subscribe(listener);
  }

  async flush(): Promise<void> {
    if (this.closed) return;
    const failure = this.commit.commitNow(true);
    if (failure !== null) throw new StoreError(failure.code, this.path, failure.message);
  }

  stats(): StoreStats {
    return {
      pendingWrites: this.commit.waiting,
      lastTicket: this.commit.lastTicket,
      committedTicket: this.commit.committedTicket,
      commits: this.commit.commits,
      commitFailures: this.commit.failures,
      linesRefused: this.commit.refusedLines,
      linesPruned: this.retentionTimer.pruned,
    };
  }

  /** Sets or lifts the cap on the file's size (see SqliteStoreOptions.maxBytes). */
  setMaxBytes(maxBytes: number | null): void {
    limitSize(this.db, maxBytes);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.retentionTimer.stop();
    const failure = this.commit.stop();
    try {
      // Only after everything is committed: a file closed with writes missing must open as unclean.
      if (failure === null) markCleanStop(this.db);
    } catch {
      // Not marked: the next open treats the stop as unclean and only skips ids it need not have.
    }
    this.db.close();
    if (failure !== null)
      throw new StoreError(
        'unsaved',
        this.path,
        `${failure.pendingWrites} writes could not be saved: ${failure.message}`,
      );
  }

  private writeAll(writes: readonly StoreWrite[]): void {
    const counts = this.db.transaction(() => writeBatch(this.statements, writes))();
    applyCounts(counts);
  }

  /** A query sees every write made before it: what is waiting is committed first (unless backing off). */
  private commitBeforeRead(): void {
    if (!this.closed) this.commit.commitNow();
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError('io', this.path, 'is closed');
  }
}
