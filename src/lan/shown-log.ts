/**
 * "Have I shown message id X?" for dual-path merging and duplicate drops: one SequenceWindow per sender,
 * for at most MAX_SHOWN_SENDERS senders (least recently marked forgotten first). A line's LAN copy and
 * its relay copy carry the same id (sender id, sequence); whichever arrives first is shown and marked.
 */
import { MAX_SHOWN_SENDERS } from '../protocol/lan/limits.ts';
import type { MessageId } from '../protocol/lan/message-id.ts';
import { RecencyMap } from './recency-map.ts';
import { SequenceWindow } from './sequence-window.ts';

export class ShownLog {
  private readonly windows = new RecencyMap<string, SequenceWindow>(MAX_SHOWN_SENDERS);

  /** Senders with a window now (at most MAX_SHOWN_SENDERS). */
  get senders(): number {
    return this.windows.size;
  }

  has(id: MessageId): boolean {
    return this.windows.peek(id.senderId)?.has(id.sequence) ?? false;
  }

  mark(id: MessageId): void {
    let window = this.windows.use(id.senderId);
    if (window === undefined) {
      window = new SequenceWindow();
      this.windows.set(id.senderId, window);
    }
    window.mark(id.sequence);
  }

  /** How many of a sender's sequence numbers in [from, to) were shown (see SequenceWindow.countMarked). */
  countShown(senderId: string, from: number, to: number): number {
    return this.windows.peek(senderId)?.countMarked(from, to) ?? 0;
  }
}
