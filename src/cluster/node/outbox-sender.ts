/**
 * Sends the outbox in batches of up to 64 while the bus is connected, one flush at a time. A flush
 * outlived by a disconnect (its answer may never come) is abandoned: a later flush sends the same batch
 * again, with the same numbers, and the back end answers it once.
 */
import type { ClusterBackend, NodeIdentity } from '../backend.ts';
import { isTransient } from '../bus-error.ts';
import type { Outbox } from './outbox.ts';

const BATCH_SIZE = 64;

export interface OutboxSenderHooks {
  connected(): boolean;
  /** The back end went away during a send. */
  lost(error: unknown): void;
  /** The back end refused a send for good. */
  fatal(error: unknown): void;
}

export class OutboxSender {
  private flushing = false;
  private generation = 0;

  constructor(
    private readonly backend: ClusterBackend,
    private readonly identity: NodeIdentity,
    private readonly outbox: Outbox,
    private readonly hooks: OutboxSenderHooks,
  ) {}

  /** Forgets a flush in progress (after a disconnect), so the next one can start. */
  abandon(): void {
    this.generation += 1;
    this.flushing = false;
  }

  async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    const generation = this.generation;
    try {
      // A batch is numbered only when it is about to be sent (batch() numbers it), never while away.
      while (this.hooks.connected()) {
        const batch = this.outbox.batch(BATCH_SIZE);
        if (batch === null) break;
        const results = await this.backend.apply(this.identity, batch.first, batch.ops);
        if (generation !== this.generation) return;
        this.outbox.settle(results);
      }
    } catch (error) {
      if (generation !== this.generation) return;
      if (isTransient(error)) this.hooks.lost(error);
      else this.hooks.fatal(error);
    } finally {
      if (generation === this.generation) this.flushing = false;
    }
  }
}
