/**
 * Write-behind with group commit, for any back end whose commit is a synchronous transaction. Writes wait
 * in order, each with a ticket (1, 2, 3, ...); they are committed together a few ms after the first of
 * them, or as soon as a batch is full, on a timer: never inside the call that made the write, so the
 * relay's receive loop never waits for the disk.
 *
 * A failed commit loses nothing: its writes stay first in line and are retried with back-off, while new
 * writes queue behind them. Memory stays bounded: past MAX_UNCOMMITTED_LINES waiting lines a new line is
 * refused (the caller is told and counts it), and a write with a key (a room's state, an account)
 * replaces a waiting write with the same key in place, so those are bounded by the rooms and accounts.
 */
import type { CommitTicket, StoreErrorCode, StoreFailure } from '../relay/store.ts';
import {
  COMMIT_RETRY_MAX_MS,
  COMMIT_RETRY_MIN_MS,
  DEFAULT_COMMIT_BATCH,
  DEFAULT_COMMIT_DELAY_MS,
  MAX_COMMIT_CHUNK,
} from './limits.ts';
import type { CancelTimer, Scheduler } from './scheduler.ts';

export interface GroupCommitSettings {
  readonly delayMs: number;
  readonly batchSize: number;
  readonly maxChunk: number;
  readonly maxWaitingLines: number;
  readonly retryMinMs: number;
  readonly retryMaxMs: number;
}

export function groupCommitSettings(
  maxWaitingLines: number,
  options: Partial<GroupCommitSettings> = {},
): GroupCommitSettings {
  return {
    delayMs: options.delayMs ?? DEFAULT_COMMIT_DELAY_MS,
    batchSize: options.batchSize ?? DEFAULT_COMMIT_BATCH,
    maxChunk: options.maxChunk ?? MAX_COMMIT_CHUNK,
    maxWaitingLines: options.maxWaitingLines ?? maxWaitingLines,
    retryMinMs: options.retryMinMs ?? COMMIT_RETRY_MIN_MS,
    retryMaxMs: options.retryMaxMs ?? COMMIT_RETRY_MAX_MS,
  };
}

/** What a back end does with a batch: commit all of it in one transaction, or throw and commit none. */
export interface BatchSink<Write> {
  commit(writes: readonly Write[]): void;
  /** The store error code and one line for a thrown commit error. */
  describe(error: unknown): { readonly code: StoreErrorCode; readonly message: string };
  committed(ticket: CommitTicket): void;
  failed(failure: StoreFailure): void;
}

interface Waiting<Write> {
  readonly ticket: CommitTicket;
  write: Write;
  readonly key: string | null;
  readonly isLine: boolean;
}

export class GroupCommit<Write> {
  private queue: Waiting<Write>[] = [];
  private head = 0;
  private readonly byKey = new Map<string, Waiting<Write>>();
  private tickets = 0;
  private committedUpTo = 0;
  private waitingLines = 0;
  private timer: CancelTimer | null = null;
  private timerIsUrgent = false;
  /** 0 while commits succeed; the delay before the next retry after a failure. */
  private retryDelay = 0;
  private stopped = false;
  commits = 0;
  failures = 0;
  refusedLines = 0;

  constructor(
    private readonly sink: BatchSink<Write>,
    private readonly settings: GroupCommitSettings,
    private readonly scheduler: Scheduler,
  ) {}

  get waiting(): number {
    return this.queue.length - this.head;
  }

  get lastTicket(): CommitTicket {
    return this.tickets;
  }

  get committedTicket(): CommitTicket {
    return this.committedUpTo;
  }

  /** False when a line would be refused: too many lines are waiting for a failing commit. */
  get takesLines(): boolean {
    return this.waitingLines < this.settings.maxWaitingLines;
  }

  /**
   * Queues the line `make` makes, or returns null (and counts it) without calling `make` when too many
   * lines are waiting; so an id is only handed out to a line that is kept.
   */
  addLine(make: () => Write): CommitTicket | null {
    if (!this.takesLines) {
      this.refusedLines += 1;
      return null;
    }
    this.waitingLines += 1;
    return this.enqueue(make(), null, true);
  }

  /** Queues a write that supersedes any waiting write with the same key (its ticket is then shared). */
  addKeyed(key: string, write: Write): CommitTicket {
    const waiting = this.byKey.get(key);
    if (waiting === undefined) return this.enqueue(write, key, false);
    waiting.write = write;
    return waiting.ticket;
  }

  /**
   * Commits everything waiting now, in chunks. While a failure is being backed off from, only a `forced`
   * call tries (else the scheduled retry will). Returns the failure of this attempt, or null.
   */
  commitNow(forced = false): StoreFailure | null {
    if (this.retryDelay > 0 && !forced) return null;
    this.cancelTimer();
    while (this.waiting > 0) {
      const failure = this.commitChunk();
      if (failure !== null) return failure;
    }
    return null;
  }

  /** Commits what it can and stops the timers; returns the failure if writes are left. */
  stop(): StoreFailure | null {
    const failure = this.commitNow(true);
    this.stopped = true;
    this.cancelTimer();
    return failure;
  }

  private enqueue(write: Write, key: string | null, isLine: boolean): CommitTicket {
    this.tickets += 1;
    const waiting = { ticket: this.tickets, write, key, isLine };
    this.queue.push(waiting);
    if (key !== null) this.byKey.set(key, waiting);
    this.schedule();
    return waiting.ticket;
  }

  private schedule(): void {
    if (this.stopped || this.retryDelay > 0) return;
    const urgent = this.waiting >= this.settings.batchSize;
    if (this.timer !== null && (this.timerIsUrgent || !urgent)) return;
    this.cancelTimer();
    this.timerIsUrgent = urgent;
    this.timer = this.scheduler.after(urgent ? 0 : this.settings.delayMs, () => this.onTimer());
  }

  private onTimer(): void {
    this.timer = null;
    if (this.commitChunk() === null && this.waiting > 0) {
      // A backlog is worked off one chunk per turn of the event loop, so datagrams are read in between.
      this.timerIsUrgent = true;
      this.timer = this.scheduler.after(0, () => this.onTimer());
    }
  }

  private commitChunk(): StoreFailure | null {
    const end = Math.min(this.queue.length, this.head + this.settings.maxChunk);
    const chunk = this.queue.slice(this.head, end);
    try {
      this.sink.commit(chunk.map((waiting) => waiting.write));
    } catch (error) {
      return this.onFailure(error);
    }
    this.retryDelay = 0;
    this.commits += 1;
    for (const waiting of chunk) {
      if (waiting.key !== null && this.byKey.get(waiting.key) === waiting) this.byKey.delete(waiting.key);
      if (waiting.isLine) this.waitingLines -= 1;
    }
    this.head = end;
    this.compact();
    this.committedUpTo =
      this.waiting > 0 ? (this.queue[this.head] as Waiting<Write>).ticket - 1 : this.tickets;
    this.sink.committed(this.committedUpTo);
    return null;
  }

  private onFailure(error: unknown): StoreFailure {
    this.failures += 1;
    const delay = Math.min(
      this.settings.retryMaxMs,
      this.retryDelay === 0 ? this.settings.retryMinMs : this.retryDelay * 2,
    );
    const { code, message } = this.sink.describe(error);
    const failure: StoreFailure = { code, message, pendingWrites: this.waiting, retryInMs: delay };
    if (!this.stopped) {
      this.cancelTimer();
      this.retryDelay = delay;
      this.timerIsUrgent = true;
      this.timer = this.scheduler.after(delay, () => this.onTimer());
    }
    this.sink.failed(failure);
    return failure;
  }

  private compact(): void {
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1_024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  private cancelTimer(): void {
    this.timer?.();
    this.timer = null;
    this.timerIsUrgent = false;
  }
}
