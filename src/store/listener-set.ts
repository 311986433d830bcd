/** The listeners of one store, told of commits and failures. */
import type { CommitTicket, StoreFailure, StoreListener } from '../relay/store.ts';

export class ListenerSet implements StoreListener {
  private readonly listeners = new Set<StoreListener>();

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  committed(ticket: CommitTicket): void {
    for (const listener of [...this.listeners]) listener.committed(ticket);
  }

  failed(failure: StoreFailure): void {
    for (const listener of [...this.listeners]) listener.failed(failure);
  }
}
