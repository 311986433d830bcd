/**
 * The store without a database: today's behaviour (nothing outlives the process) under the same contract
 * as the SQLite store, so /history works without --db too. Memory is bounded: retention per room and per
 * conversation, and a total cap on lines across all of them.
 *
 * Every write is "committed" as soon as it is made (there is nothing slower to wait for); listeners are
 * told in a microtask, never from inside the write, as the contract promises.
 */
import type { AccountRecord } from '../../relay/accounts.ts';
import type {
  AppendedLine,
  CommitTicket,
  HistoryPage,
  HistoryQuery,
  KeptRoom,
  PrivateLine,
  PrivateLineInput,
  RelayStore,
  RoomLine,
  RoomLineInput,
  StoreListener,
  StoreStats,
} from '../../relay/store.ts';
import { conversationKey } from '../history-query.ts';
import { DEFAULT_MEMORY_TOTAL_LINES, DEFAULT_PRUNE_INTERVAL_MS } from '../limits.ts';
import { ListenerSet } from '../listener-set.ts';
import { type Retention, resolveRetention } from '../retention.ts';
import {
  type CancelTimer,
  nodeScheduler,
  type Scheduler,
  systemClock,
  type WallClock,
} from '../scheduler.ts';
import { StoreError } from '../store-error.ts';
import { LineBudget } from './line-budget.ts';
import { LineLog, type LoggedLine } from './line-log.ts';

export interface MemoryStoreOptions {
  readonly accounts?: readonly AccountRecord[];
  readonly retention?: Partial<Retention>;
  /** Lines kept in all rooms and conversations together. */
  readonly maxTotalLines?: number;
  readonly pruneIntervalMs?: number;
  readonly scheduler?: Scheduler;
  readonly clock?: WallClock;
}

export class MemoryStore implements RelayStore {
  private readonly accounts = new Map<string, AccountRecord>();
  private readonly rooms = new Map<string, KeptRoom>();
  /** Kept secrets live as long as the process: memory outlives nothing. */
  private readonly secrets = new Map<string, Uint8Array>();
  private readonly roomLogs = new Map<string, LineLog<RoomLine>>();
  private readonly privateLogs = new Map<string, LineLog<PrivateLine>>();
  private readonly retention: Retention;
  private readonly budget: LineBudget;
  private readonly listeners = new ListenerSet();
  private readonly scheduler: Scheduler;
  private readonly clock: WallClock;
  private readonly pruneIntervalMs: number;
  private pruneTimer: CancelTimer | null = null;
  private tickets = 0;
  private reported = 0;
  private reportQueued = false;
  private pruned = 0;
  private closed = false;

  constructor(options: MemoryStoreOptions = {}) {
    for (const record of options.accounts ?? []) this.accounts.set(record.key, record);
    this.retention = resolveRetention(options.retention);
    this.budget = new LineBudget(options.maxTotalLines ?? DEFAULT_MEMORY_TOTAL_LINES);
    this.scheduler = options.scheduler ?? nodeScheduler;
    this.clock = options.clock ?? systemClock;
    this.pruneIntervalMs = options.pruneIntervalMs ?? DEFAULT_PRUNE_INTERVAL_MS;
    this.schedulePrune();
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
    return this.written();
  }

  removeAccount(key: string): CommitTicket {
    this.checkOpen();
    this.accounts.delete(key);
    return this.written();
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
    return this.written();
  }

  forgetRoom(key: string): CommitTicket {
    this.checkOpen();
    this.rooms.delete(key);
    return this.written();
  }

  appendLine(input: RoomLineInput): AppendedLine {
    this.checkOpen();
    const log = logFor(this.roomLogs, input.roomKey);
    const { roomKey, roomName, at, kind, nick, text } = input;
    // Field by field: a spread with an extra field is several times slower, and this is the hot path.
    const line = log.append((id) => ({ roomKey, roomName, id, at, kind, nick, text }));
    this.keep(log);
    return { id: line.id, ticket: this.written() };
  }

  appendPrivateLine(input: PrivateLineInput): AppendedLine {
    this.checkOpen();
    const log = logFor(this.privateLogs, conversationKey(input.fromKey, input.toKey));
    const { fromKey, fromNick, toKey, toNick, at, kind, text } = input;
    const line = log.append((id) => ({ fromKey, fromNick, toKey, toNick, id, at, kind, text }));
    this.keep(log);
    return { id: line.id, ticket: this.written() };
  }

  keptSecret(name: string, create: () => Uint8Array): Uint8Array {
    let secret = this.secrets.get(name);
    if (secret === undefined) {
      secret = create();
      this.secrets.set(name, secret);
    }
    return secret;
  }

  lastLineId(roomKey: string): number {
    return this.roomLogs.get(roomKey)?.lastId ?? 0;
  }

  async roomHistory(roomKey: string, query: HistoryQuery): Promise<HistoryPage<RoomLine>> {
    return this.roomLogs.get(roomKey)?.query(query) ?? { lines: [], more: false };
  }

  async privateHistory(keyA: string, keyB: string, query: HistoryQuery): Promise<HistoryPage<PrivateLine>> {
    return this.privateLogs.get(conversationKey(keyA, keyB))?.query(query) ?? { lines: [], more: false };
  }

  get committedTicket(): CommitTicket {
    return this.tickets;
  }

  get lastTicket(): CommitTicket {
    return this.tickets;
  }

  subscribe(listener: StoreListener): () => void {
    return this.listeners.subscribe(listener);
  }

  async flush(): Promise<void> {
    this.report();
  }

  stats(): StoreStats {
    return {
      pendingWrites: 0,
      lastTicket: this.tickets,
      committedTicket: this.tickets,
      commits: this.tickets,
      commitFailures: 0,
      linesRefused: 0,
      linesPruned: this.pruned,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pruneTimer?.();
    this.pruneTimer = null;
    this.report();
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError('io', null, 'the store is closed');
  }

  /** Applies the room's own cap, then the total one. */
  private keep(log: LineLog<LoggedLine>): void {
    if (log.size > this.retention.maxLines) {
      log.dropOldest();
      this.pruned += 1;
    }
    this.pruned += this.budget.kept(log, log.lastId);
  }

  private written(): CommitTicket {
    this.tickets += 1;
    if (!this.reportQueued) {
      this.reportQueued = true;
      queueMicrotask(() => this.report());
    }
    return this.tickets;
  }

  private report(): void {
    this.reportQueued = false;
    if (this.reported === this.tickets) return;
    this.reported = this.tickets;
    this.listeners.committed(this.tickets);
  }

  private schedulePrune(): void {
    if (this.closed || !Number.isFinite(this.retention.maxAgeMs)) return;
    this.pruneTimer = this.scheduler.after(this.pruneIntervalMs, () => {
      this.pruneByAge();
      this.schedulePrune();
    });
  }

  private pruneByAge(): void {
    const cutoff = this.clock() - this.retention.maxAgeMs;
    for (const logs of [this.roomLogs, this.privateLogs])
      for (const log of logs.values()) this.pruned += log.dropOlderThan(cutoff);
  }
}

/**
 * The log of `key`, made on first use. A log stays when its lines are pruned away (it is a few numbers),
 * so that its ids go on from where they were rather than starting again at 1.
 */
function logFor<Line extends LoggedLine>(logs: Map<string, LineLog<Line>>, key: string): LineLog<Line> {
  let log = logs.get(key);
  if (log === undefined) {
    log = new LineLog<Line>();
    logs.set(key, log);
  }
  return log;
}
