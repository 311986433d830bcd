/**
 * Work that must wait until the store has made durable what the relay just did: a v2 acknowledgement, a
 * web client's per-message acknowledgement. Each waits for the store's latest ticket at the time it was
 * queued (tickets only grow, so the queue stays in ticket order); the store's `committed` report runs
 * them. Bounded by the store's own bound on uncommitted writes: a line the store refuses takes no ticket.
 */
import type { CommitTicket, RelayStore } from '../relay/store.ts';

type Waiter = (now: number) => void;

export class CommitWaiters {
  private queue: { readonly ticket: CommitTicket; readonly run: Waiter }[] = [];
  private head = 0;

  constructor(private readonly store: RelayStore) {}

  /** True when everything written so far is durable. */
  get settled(): boolean {
    return this.store.lastTicket <= this.store.committedTicket;
  }

  /** Runs `run` once every write made so far is durable: now if it already is. */
  whenDurable(now: number, run: Waiter): void {
    if (this.settled) run(now);
    else this.after(this.store.lastTicket, run);
  }

  /** Runs `run` once `ticket` is durable. */
  after(ticket: CommitTicket, run: Waiter): void {
    this.queue.push({ ticket, run });
  }

  /** Runs every waiter the store's committed ticket now covers, in order. */
  release(now: number): void {
    const committed = this.store.committedTicket;
    while (this.head < this.queue.length) {
      const next = this.queue[this.head] as { ticket: CommitTicket; run: Waiter };
      if (next.ticket > committed) break;
      this.head++;
      next.run(now);
    }
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1_024) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  get size(): number {
    return this.queue.length - this.head;
  }
}
