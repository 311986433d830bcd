/** A room's history in an in-process cluster: the same pages as the store's history queries. */
import type { HistoryPage, HistoryQuery, RoomLine } from '../../relay/store.ts';
import { pageLimit } from '../../store/history-query.ts';

/** `lines` is oldest first, ids increasing. */
export function historyPage(lines: readonly RoomLine[], query: HistoryQuery): HistoryPage<RoomLine> {
  const limit = pageLimit(query);
  if (limit === 0) return { lines: [], more: false };
  if (query.type === 'after') {
    const newer = lines.filter((line) => line.id > query.id);
    return { lines: newer.slice(0, limit), more: newer.length > limit };
  }
  const older = query.type === 'before' ? lines.filter((line) => line.id < query.id) : lines;
  return { lines: older.slice(Math.max(0, older.length - limit)), more: older.length > limit };
}
