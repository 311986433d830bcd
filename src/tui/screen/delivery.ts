/**
 * Our lines' delivery, as the full-screen UI shows it (protocol v2): a line the user sent carries a pending
 * mark until the relay acknowledges it, then none; a line given up is marked "not delivered" where it is
 * shown and a note in the focused buffer says so (a relay command is not shown, so only the note tells). Over
 * v1 no line has an id and nothing is tracked. Lines the relay gave up on sending us are a note too.
 */
import { gapMessage, undeliveredMessage } from '../format.ts';
import { PendingLines } from '../pending-lines.ts';
import type { ChatBuffer } from './buffers.ts';
import { type Delivery, type MessageBody, withDelivery } from './lines.ts';
import type { ChatModel } from './model.ts';

/** A line the user sent: its text, and where it is shown with which body (null for a relay command). */
export interface SentLine {
  readonly text: string;
  readonly shown: {
    readonly buffer: ChatBuffer;
    readonly seq: number;
    readonly body: MessageBody;
  } | null;
}

export class DeliveryMarks {
  private readonly pending = new PendingLines<SentLine>();

  constructor(private readonly model: ChatModel) {}

  /** Lines waiting for the relay's acknowledgement. */
  get waiting(): number {
    return this.pending.size;
  }

  /** The user's line went out as `id` (shown already, with its pending mark, if it is shown at all). */
  sent(id: number, line: SentLine): void {
    const stale = this.pending.sent(id, line);
    if (stale !== undefined) this.giveUp(stale);
  }

  acked(id: number): void {
    const line = this.pending.settle(id);
    if (line !== undefined) this.mark(line, null);
  }

  failed(id: number): void {
    const line = this.pending.settle(id);
    if (line !== undefined) this.giveUp(line);
  }

  /**
   * The relay welcomed us again (rejoining, reconnected): a line still pending rode a session it no longer
   * has and will not be acknowledged, and a new session's ids start again, so they would be mistaken for it.
   */
  lost(): void {
    for (const line of this.pending.abandon()) this.giveUp(line);
  }

  /** The relay gave up on `count` of its lines to us. */
  gap(count: number): void {
    this.model.note(gapMessage(count), 'error');
  }

  private giveUp(line: SentLine): void {
    this.mark(line, 'failed');
    this.model.note(undeliveredMessage(line.text), 'error');
  }

  private mark(line: SentLine, delivery: Delivery | null): void {
    const { shown } = line;
    if (shown !== null) this.model.replace(shown.buffer, shown.seq, withDelivery(shown.body, delivery));
  }
}
