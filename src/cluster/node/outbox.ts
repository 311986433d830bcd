/**
 * The one ordered queue of changes a relay makes to the cluster. Changes wait here while the back end is
 * away and leave in batches; a batch is numbered when it is first sent and keeps its numbers when it is
 * sent again, so the back end can tell a retry from a new batch and apply each change exactly once.
 */
import type { BusOp, OpResult } from '../backend.ts';

export interface OutboxEntry {
  readonly op: BusOp;
  /** Called with the change's answer once applied. */
  readonly applied: (result: OpResult) => void;
  /** Called if the bus gives up on the change (closed, fatal error). */
  readonly failed: (error: Error) => void;
  /** Called when the back end goes away while the change waits (a claim then resolves provisionally). */
  readonly waiting?: () => void;
}

export interface OutboxBatch {
  readonly first: number;
  readonly ops: readonly BusOp[];
}

export class Outbox {
  private entries: OutboxEntry[] = [];
  /** The batch sent and not yet answered: its size and first number. */
  private inFlight: { readonly first: number; readonly size: number } | null = null;
  private nextNumber = 1;
  private appliedCount = 0;

  constructor(private readonly capacity: number) {}

  get pending(): number {
    return this.entries.length;
  }

  get applied(): number {
    return this.appliedCount;
  }

  get full(): boolean {
    return this.entries.length >= this.capacity;
  }

  push(entry: OutboxEntry): void {
    this.entries.push(entry);
  }

  /**
   * Puts changes ahead of everything not yet sent (a relay that was presumed dead claims its nicks back
   * before anything else); the batch in flight, if any, stays first.
   */
  pushFront(entries: readonly OutboxEntry[]): void {
    const keep = this.inFlight === null ? 0 : this.inFlight.size;
    this.entries.splice(keep, 0, ...entries);
  }

  /** The batch to send: the one in flight again, or up to `max` new changes with fresh numbers. */
  batch(max: number): OutboxBatch | null {
    if (this.entries.length === 0) return null;
    if (this.inFlight === null) {
      this.inFlight = { first: this.nextNumber, size: Math.min(max, this.entries.length) };
      this.nextNumber += this.inFlight.size;
    }
    const ops = this.entries.slice(0, this.inFlight.size).map((entry) => entry.op);
    return { first: this.inFlight.first, ops };
  }

  /** The batch in flight was applied: hands each change its answer. */
  settle(results: readonly OpResult[]): void {
    const size = this.inFlight?.size ?? 0;
    const done = this.entries.splice(0, size);
    this.inFlight = null;
    this.appliedCount += done.length;
    done.forEach((entry, index) => {
      entry.applied(results[index] ?? 0);
    });
  }

  /** The back end went away: tells every waiting change that cares. */
  waiting(): void {
    for (const entry of this.entries) entry.waiting?.();
  }

  /** Gives up on everything (close, fatal): each change fails with `error`. */
  failAll(error: Error): void {
    const dropped = this.entries;
    this.entries = [];
    this.inFlight = null;
    for (const entry of dropped) entry.failed(error);
  }
}
