/**
 * The lines of one room (or private conversation) in memory, oldest first, ids increasing. The oldest
 * lines leave from the front in O(1) (a head index, compacted now and then), and a query finds its place
 * by binary search, so paging back through 10,000 lines costs a few comparisons.
 */
import type { HistoryPage, HistoryQuery } from '../../relay/store.ts';
import { pageLimit } from '../history-query.ts';

export interface LoggedLine {
  readonly id: number;
  readonly at: number;
}

/** The front is compacted once this many removed lines sit before it and they are half the array. */
const COMPACT_AFTER = 1_024;

export class LineLog<Line extends LoggedLine> {
  private lines: Line[] = [];
  private head = 0;
  private newestId = 0;

  get size(): number {
    return this.lines.length - this.head;
  }

  get lastId(): number {
    return this.newestId;
  }

  get oldest(): Line | undefined {
    return this.lines[this.head];
  }

  /** Gives the next id to `make` and keeps the line it makes. */
  append(make: (id: number) => Line): Line {
    this.newestId += 1;
    const line = make(this.newestId);
    this.lines.push(line);
    return line;
  }

  dropOldest(): void {
    if (this.size === 0) return;
    this.head += 1;
    if (this.head >= COMPACT_AFTER && this.head * 2 >= this.lines.length) {
      this.lines = this.lines.slice(this.head);
      this.head = 0;
    }
  }

  /** Removes lines older than `cutoff` from the front; returns how many. */
  dropOlderThan(cutoff: number): number {
    let dropped = 0;
    for (let line = this.oldest; line !== undefined && line.at < cutoff; line = this.oldest) {
      this.dropOldest();
      dropped += 1;
    }
    return dropped;
  }

  query(query: HistoryQuery): HistoryPage<Line> {
    const limit = pageLimit(query);
    const end = this.lines.length;
    if (query.type === 'after') {
      const from = this.firstIndex((line) => line.id > query.id);
      const to = Math.min(from + limit, end);
      return { lines: this.lines.slice(from, to), more: to < end };
    }
    const to = query.type === 'last' ? end : this.firstIndex((line) => line.id >= query.id);
    const from = Math.max(this.head, to - limit);
    return { lines: this.lines.slice(from, to), more: from > this.head };
  }

  /** The index of the first kept line that `isPast` (ids increase, so the rest are too); `end` if none. */
  private firstIndex(isPast: (line: Line) => boolean): number {
    let low = this.head;
    let high = this.lines.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (isPast(this.lines[middle] as Line)) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}
