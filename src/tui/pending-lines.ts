/**
 * Our lines the relay has not acknowledged yet. Over protocol v2 say() returns an id and an `acked` or
 * `failed` event with that id follows; over v1 there is no id, nothing will confirm the line, and nothing is
 * tracked. Pure state, shared by the three UIs: each decides how a settled or abandoned line is shown.
 */

import type { ChatSayResult } from '../client/relay-commands.ts';
import type { TypedEmitter } from '../client/typed-emitter.ts';
import type { ChatClientEvents } from '../client-host/chat-client.ts';
import { undeliveredMessage } from './format.ts';

export class PendingLines<T> {
  private readonly byId = new Map<number, T>();

  get size(): number {
    return this.byId.size;
  }

  /**
   * `line` went out as `id`. Ids start again at 0 in a new v2 session, so a line already pending under the
   * same id belongs to a session that is gone: it is returned, to be reported as given up.
   */
  sent(id: number, line: T): T | undefined {
    const stale = this.byId.get(id);
    this.byId.set(id, line);
    return stale;
  }

  /** `acked` or `failed` for `id`: the line it settles, or undefined if it was not ours (a ping, a /join). */
  settle(id: number): T | undefined {
    const line = this.byId.get(id);
    this.byId.delete(id);
    return line;
  }

  /**
   * The relay forgot us (a lost session, a reconnect): nothing pending will be acknowledged any more, and a
   * new session's ids would be mistaken for these. Returns every pending line, oldest first, and forgets them.
   */
  abandon(): T[] {
    const lines = [...this.byId.values()];
    this.byId.clear();
    return lines;
  }
}

/** The events the reporter listens to. */
export type DeliveryEvents = Pick<TypedEmitter<ChatClientEvents>, 'on'>;

/**
 * For the prompt and pipe UIs, which print nothing of their own lines: a line never acknowledged is
 * reported (`line not delivered: "..."`), once, through `report`.
 */
export class UndeliveredReporter {
  private readonly pending = new PendingLines<string>();

  constructor(
    client: DeliveryEvents,
    private readonly report: (message: string) => void,
  ) {
    client.on('acked', (e) => this.pending.settle(e.id));
    client.on('failed', (e) => this.given(this.pending.settle(e.id)));
    client.on('rejoining', () => {
      for (const text of this.pending.abandon()) this.given(text);
    });
  }

  /** Says a typed line: a refusal (too long, not connected) is reported at once, a lost line later. */
  say(say: (text: string) => ChatSayResult, text: string): void {
    const result = say(text);
    if (!result.ok && result.error.code !== 'empty') this.report(result.error.message);
    this.sent(result, text);
  }

  /** After say(): a line with an id is watched until the relay acknowledges it. */
  sent(result: ChatSayResult, text: string): void {
    if (result.ok && result.id !== undefined) this.given(this.pending.sent(result.id, text));
  }

  private given(text: string | undefined): void {
    if (text !== undefined) this.report(undeliveredMessage(text));
  }
}
