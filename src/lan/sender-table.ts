/**
 * The remote senders we know, at most MAX_SENDERS, in order of when each was last heard. A newcomer
 * when the table is full evicts the least recently heard sender that is not present (a forged id that
 * sent one datagram, typically); present senders are never pushed out by newcomers, only timed out. So a
 * flood of forged sender ids costs at most MAX_SENDERS entries and cannot displace the real peers.
 */
import { MAX_SENDERS } from '../protocol/lan/limits.ts';
import type { RemoteSender } from './remote-sender.ts';

export type Admission =
  | { readonly ok: true; readonly sender: RemoteSender; readonly evicted: RemoteSender | null }
  | { readonly ok: false };

export class SenderTable {
  private readonly senders = new Map<string, RemoteSender>();

  get size(): number {
    return this.senders.size;
  }

  get(senderId: string): RemoteSender | undefined {
    return this.senders.get(senderId);
  }

  /** Oldest heard first. */
  values(): IterableIterator<RemoteSender> {
    return this.senders.values();
  }

  /** Adds the sender `create` makes, evicting one that is not present if the table is full. */
  admit(senderId: string, create: () => RemoteSender): Admission {
    let evicted: RemoteSender | null = null;
    if (this.senders.size >= MAX_SENDERS) {
      evicted = this.oldestAbsent();
      if (evicted === null) return { ok: false };
      this.senders.delete(evicted.senderId);
    }
    const sender = create();
    this.senders.set(senderId, sender);
    return { ok: true, sender, evicted };
  }

  /** Moves a sender to the most recently heard end. */
  heard(sender: RemoteSender): void {
    this.senders.delete(sender.senderId);
    this.senders.set(sender.senderId, sender);
  }

  remove(senderId: string): void {
    this.senders.delete(senderId);
  }

  private oldestAbsent(): RemoteSender | null {
    for (const sender of this.senders.values()) if (!sender.present) return sender;
    return null;
  }
}
