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
  /** `number`: the event's number in the shared stream (0 for inbox entries and gaps). */
  deliver(event: ClusterEvent, number: number): void;
  /** A read failed because the back end is away. */
  lost(error: unknown): void;
}

export class EventReader {
  private cursor: EventCursor | null = null;
  /** Each resume starts a new generation; a loop of an older one ends and its last read is discarded. */
  private generation = 0;
  private active = false;
  private stopped = false;
  eventsRead = 0;
  eventsMissed = 0;
  malformed = 0;

  constructor(private readonly hooks: EventReaderHooks) {}

  /** The number of the last event read (null before the first resume). */
  get eventNumber(): number | null {
    return this.cursor?.eventNumber ?? null;
  }

  /** Reads on from where the last read stopped (`initial` only the first time). */
  resume(initial: EventCursor): void {
    if (this.stopped || this.active) return;
    this.cursor ??= initial;
    this.active = true;
    this.generation += 1;
    void this.loop(this.generation);
  }

  /** The back end lost its state: read on from where its new streams end. */
  reset(cursor: EventCursor): void {
    this.cursor = cursor;
  }

  /**
   * Stops reading. A read still out (a connection dropped under a blocked XREAD may never answer) is
   * abandoned: what it brings is discarded and read again from the same cursor, so nothing is lost.
   */
  pause(): void {
    this.active = false;
    this.generation += 1;
  }

  stop(): void {
    this.stopped = true;
    this.pause();
  }

  private async loop(generation: number): Promise<void> {
    while (generation === this.generation && this.cursor !== null) {
      let batch: ReadBatch;
      try {
        batch = await this.hooks.read(this.cursor);
      } catch (error) {
        if (generation !== this.generation) return;
        this.pause();
        if (isTransient(error)) this.hooks.lost(error);
        return;
      }
      if (generation !== this.generation) return;
      this.take(batch);
    }
  }

  private take(batch: ReadBatch): void {
    let cursor = this.cursor;
    if (cursor === null) return;
    const fresh: { readonly event: ClusterEvent; readonly number: number }[] = [];
    for (const entry of batch.events) {
      if (!streamIdAfter(entry.id, cursor.events) || entry.number <= cursor.eventNumber) continue;
      const missed = entry.number - cursor.eventNumber - 1;
      if (missed > 0) {
        this.eventsMissed += missed;
        fresh.push({ event: { type: 'gap', missed }, number: 0 });
      }
      cursor = { ...cursor, events: entry.id, eventNumber: entry.number };
      this.collect(entry, entry.number, fresh);
    }
    for (const entry of batch.inbox) {
      if (!streamIdAfter(entry.id, cursor.inbox)) continue;
      cursor = { ...cursor, inbox: entry.id };
      this.collect(entry, 0, fresh);
    }
    this.cursor = cursor;
    for (const { event, number } of fresh) this.hooks.deliver(event, number);
  }

  private collect(
    entry: ReadEntry,
    number: number,
    into: { readonly event: ClusterEvent; readonly number: number }[],
  ): void {
    if (entry.event === null) {
      this.malformed += 1;
      return;
    }
    this.eventsRead += 1;
    into.push({ event: entry.event, number });
  }
}
