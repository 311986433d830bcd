/**
 * Reads the shared event stream (and this relay's inbox) from the last ids seen, forever: paused while
 * the back end is away, resumed from the same ids when it returns, so nothing is lost and nothing is
 * delivered twice. Event numbers are consecutive in the stream, so events lost to its cap show as a gap.
 */
import type { ClusterEvent } from '../../relay/cluster-bus.ts';
import type { EventCursor, ReadBatch, ReadEntry } from '../backend.ts';
import { isTransient } from '../bus-error.ts';
import { streamIdAfter } from './stream-id.ts';

export interface EventReaderHooks {
  read(cursor: EventCursor): Promise<ReadBatch>;
  deliver(event: ClusterEvent): void;
  /** A read failed because the back end is away. */
  lost(error: unknown): void;
}

export class EventReader {
  private cursor: EventCursor | null = null;
  private active = false;
  private looping = false;
  private stopped = false;
  eventsRead = 0;
  eventsMissed = 0;
  malformed = 0;

  constructor(private readonly hooks: EventReaderHooks) {}

  /** Reads on from where the last read stopped (`initial` only the first time). */
  resume(initial: EventCursor): void {
    if (this.stopped) return;
    this.cursor ??= initial;
    this.active = true;
    if (!this.looping) void this.loop();
  }

  /** The back end lost its state: read on from where its new streams end. */
  reset(cursor: EventCursor): void {
    this.cursor = cursor;
  }

  pause(): void {
    this.active = false;
  }

  stop(): void {
    this.stopped = true;
    this.active = false;
  }

  /** One loop at a time: a resume while a read is still out lets that loop go on instead of starting a second. */
  private async loop(): Promise<void> {
    this.looping = true;
    try {
      while (this.active && this.cursor !== null) {
        let batch: ReadBatch;
        try {
          batch = await this.hooks.read(this.cursor);
        } catch (error) {
          if (!this.stopped && isTransient(error)) this.hooks.lost(error);
          this.active = false;
          break;
        }
        if (this.stopped) break;
        this.take(batch);
      }
    } finally {
      this.looping = false;
    }
  }

  private take(batch: ReadBatch): void {
    let cursor = this.cursor;
    if (cursor === null) return;
    const fresh: ClusterEvent[] = [];
    for (const entry of batch.events) {
      if (!streamIdAfter(entry.id, cursor.events) || entry.number <= cursor.eventNumber) continue;
      const missed = entry.number - cursor.eventNumber - 1;
      if (missed > 0) {
        this.eventsMissed += missed;
        fresh.push({ type: 'gap', missed });
      }
      cursor = { ...cursor, events: entry.id, eventNumber: entry.number };
      this.collect(entry, fresh);
    }
    for (const entry of batch.inbox) {
      if (!streamIdAfter(entry.id, cursor.inbox)) continue;
      cursor = { ...cursor, inbox: entry.id };
      this.collect(entry, fresh);
    }
    this.cursor = cursor;
    for (const event of fresh) this.hooks.deliver(event);
  }

  private collect(entry: ReadEntry, into: ClusterEvent[]): void {
    if (entry.event === null) {
      this.malformed += 1;
      return;
    }
    this.eventsRead += 1;
    into.push(entry.event);
  }
}
