/**
 * Filling the gap after a reconnect (docs/PROTOCOL-v2.md, "Message ids"): the session remembers the last
 * message id it showed per room; once welcomed again it asks each room for what came after
 * (`/history #room after <id>`), and until that answer is complete it holds the room's history and live
 * lines back, so the missed lines are shown once, in order, after one marker ("12 lines while you were
 * away"), and the live lines that arrived meanwhile follow them. History that arrives for other reasons
 * during the fill (the relay's history on join) is merged by id, never shown twice. Pure: the session owns
 * the clock; a fill that is never answered (an old relay) ends at its deadline with what it has.
 */
import { NO_HISTORY } from '../protocol/history-messages.ts';
import { MAX_HISTORY_PAGE } from '../protocol/limits.ts';
import type { ClientEvent, GapFilledEvent, HistoryEvent } from './events.ts';

/** How long a fill may wait for its answer before what it holds is shown anyway. */
export const GAP_FILL_TIMEOUT_MS = 10_000;
/** Live lines held per room during a fill, at most; past it the fill ends early. */
export const GAP_FILL_MAX_HELD = 1_000;
/** Our own lines remembered per room (the relay never echoes them, so their ids are never seen). */
export const OWN_LINES_REMEMBERED = 200;

interface Fill {
  readonly after: number;
  readonly deadline: number;
  readonly history: Map<number, HistoryEvent>;
  readonly live: ClientEvent[];
}

export class GapFill {
  private readonly lastSeen = new Map<string, number>();
  private readonly fills = new Map<string, Fill>();
  /** What we said per room, before the reconnect: the relay's history on join hands it back to us. */
  private readonly own = new Map<string, string[]>();
  /** Our lines recognised in history since the last reconnect, by room and id (`#den 12`). */
  private readonly ownIds = new Set<string>();
  /** Rooms rejoined after a reconnect whose history on join has not ended yet, and how many of ours it held. */
  private readonly rejoined = new Map<string, number>();

  /**
   * We said `text` (`action`: with /me) in `room`. The relay does not echo a line to its sender, so the
   * session never learns its id; after a reconnect the history on join would show it again as if missed.
   */
  said(room: string, text: string, action: boolean): void {
    const lines = this.own.get(room) ?? [];
    lines.push(ownKey(text, action));
    if (lines.length > OWN_LINES_REMEMBERED) lines.shift();
    this.own.set(room, lines);
  }

  /** The last id shown in `room`, if any. */
  lastId(room: string): number | undefined {
    return this.lastSeen.get(room);
  }

  /** Welcomed again: the requests for every room in `rooms` whose last id is known. */
  begin(now: number, rooms: readonly string[]): string[] {
    const requests: string[] = [];
    this.ownIds.clear();
    for (const room of rooms) {
      this.rejoined.set(room, 0);
      const after = this.lastSeen.get(room);
      if (after === undefined) continue;
      this.fills.set(room, { after, deadline: now + GAP_FILL_TIMEOUT_MS, history: new Map(), live: [] });
      requests.push(`/history ${room} after ${after} ${MAX_HISTORY_PAGE}`);
    }
    return requests;
  }

  /** What of `event` is shown now (itself, nothing while held, or a finished fill). */
  take(event: ClientEvent, ownNick: string): ClientEvent[] {
    switch (event.type) {
      case 'history':
        // Ours, from before the reconnect: shown when we said it; never again as history or as missed. A
        // fill's answer may come after a live line has ended the history on join: it is checked too.
        // The history on join and the fill's answer may both carry it: known by its id the second time.
        if (this.afterReconnect(event.room) && this.ownIds.has(idKey(event.room, event.id))) return [];
        if (this.afterReconnect(event.room) && this.ownLine(event, ownNick)) {
          this.ownIds.add(idKey(event.room, event.id));
          const rejoined = this.rejoined.get(event.room);
          if (rejoined !== undefined) this.rejoined.set(event.room, rejoined + 1);
          this.saw(event.room, event.id);
          const { room, id, text, action } = event;
          return [{ type: 'own-kept', room, id, text, action }];
        }
        return this.history(event);
      case 'history-end': {
        const ours = event.after === null ? this.rejoined.get(event.room) : undefined;
        if (ours !== undefined) this.rejoined.delete(event.room);
        const fill = this.fills.get(event.room);
        const over: ClientEvent[] = ours === undefined ? [] : [{ type: 'history-over', room: event.room }];
        if (fill === undefined && ours !== undefined && ours > 0) {
          // The end of a history on join that held our own lines: it counts only what was shown.
          return event.count - ours > 0 ? [{ ...event, count: event.count - ours }, ...over] : over;
        }
        if (fill === undefined) return [event, ...over];
        // Only the answer to our own request ends the fill; another answer's end is swallowed.
        return event.after === fill.after ? this.finish(event.room, event.more) : [];
      }
      case 'chat':
      case 'action':
        return this.live(event.room, event, event.id);
      case 'notice':
        // A relay without a store answers each fill so: nothing more will come, the fills end now.
        return event.line === NO_HISTORY ? [event, ...this.finishAll()] : [event];
      default:
        return [event];
    }
  }

  /** Fills whose answer never came, shown with what they hold. */
  tick(now: number): ClientEvent[] {
    const out: ClientEvent[] = [];
    for (const [room, fill] of [...this.fills])
      if (fill.deadline <= now) out.push(...this.finish(room, false));
    return out;
  }

  private finishAll(): ClientEvent[] {
    const out: ClientEvent[] = [];
    for (const room of [...this.fills.keys()]) out.push(...this.finish(room, false));
    return out;
  }

  nextDue(): number | null {
    let due: number | null = null;
    for (const fill of this.fills.values()) due = due === null ? fill.deadline : Math.min(due, fill.deadline);
    return due;
  }

  private history(event: HistoryEvent): ClientEvent[] {
    const fill = this.fills.get(event.room);
    if (fill === undefined) {
      this.saw(event.room, event.id);
      return [event];
    }
    if (event.id > fill.after) fill.history.set(event.id, event);
    return [];
  }

  private live(room: string, event: ClientEvent, id: number | undefined): ClientEvent[] {
    // A live line comes after the join's history: that history, if any, is over.
    this.rejoined.delete(room);
    const fill = this.fills.get(room);
    if (fill === undefined) {
      if (id !== undefined) this.saw(room, id);
      return [event];
    }
    fill.live.push(event);
    return fill.live.length >= GAP_FILL_MAX_HELD ? this.finish(room, true) : [];
  }

  private finish(room: string, more: boolean): ClientEvent[] {
    const fill = this.fills.get(room);
    if (fill === undefined) return [];
    this.fills.delete(room);
    const missed = [...fill.history.values()].sort((a, b) => a.id - b.id);
    const newest = missed.at(-1)?.id ?? fill.after;
    const marker: GapFilledEvent = { type: 'gap-filled', room, count: missed.length, more };
    // A live line the history already showed (said while the answer was on its way) is not shown again.
    const live = fill.live.filter(
      (event) => liveId(event) === undefined || (liveId(event) as number) > newest,
    );
    for (const event of missed) this.saw(room, event.id);
    for (const event of live) {
      const id = liveId(event);
      if (id !== undefined) this.saw(room, id);
    }
    return [marker, ...missed, ...live, { type: 'history-over', room }];
  }

  /** The history on join after a reconnect, or the fill's answer, has not ended yet. */
  private afterReconnect(room: string): boolean {
    return this.rejoined.has(room) || this.fills.has(room);
  }

  private ownLine(event: HistoryEvent, ownNick: string): boolean {
    if (event.nick.toLowerCase() !== ownNick.toLowerCase()) return false;
    const lines = this.own.get(event.room);
    const index = lines?.indexOf(ownKey(event.text, event.action)) ?? -1;
    if (lines === undefined || index < 0) return false;
    lines.splice(index, 1);
    return true;
  }

  private saw(room: string, id: number): void {
    if (id > (this.lastSeen.get(room) ?? 0)) this.lastSeen.set(room, id);
  }
}

function idKey(room: string, id: number): string {
  return `${room} ${id}`;
}

function ownKey(text: string, action: boolean): string {
  return `${action ? '*' : '<'}${text}`;
}

function liveId(event: ClientEvent): number | undefined {
  return event.type === 'chat' || event.type === 'action' ? event.id : undefined;
}
