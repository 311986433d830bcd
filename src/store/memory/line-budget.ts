/**
 * The total cap on history in memory: with no database, many busy rooms must not add up to more than a
 * fixed number of lines. Lines are remembered in the order they were kept; past the cap the oldest is
 * dropped, whichever room it is in. An entry whose line its room has already dropped (its own cap, or
 * age) is skipped when it reaches the front, so the queue is never longer than the cap.
 */
import type { LineLog, LoggedLine } from './line-log.ts';

interface Entry {
  readonly log: LineLog<LoggedLine>;
  readonly id: number;
}

export class LineBudget {
  private entries: Entry[] = [];
  private head = 0;

  constructor(private readonly maxLines: number) {}

  /** Records a kept line; returns how many lines it pushed out of their logs. */
  kept(log: LineLog<LoggedLine>, id: number): number {
    this.entries.push({ log, id });
    let dropped = 0;
    while (this.entries.length - this.head > this.maxLines) {
      const entry = this.entries[this.head] as Entry;
      this.head += 1;
      if (entry.log.oldest?.id === entry.id) {
        entry.log.dropOldest();
        dropped += 1;
      }
    }
    if (this.head >= this.maxLines) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return dropped;
  }
}
