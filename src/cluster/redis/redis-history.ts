/**
 * A room's history from its stream: entry ids are `<line id>-0`, so a history query is one XRANGE or
 * XREVRANGE by line id, asking one entry more than the page to know whether there are more.
 */
import type { Redis } from 'ioredis';
import type { HistoryPage, HistoryQuery, RoomLine } from '../../relay/store.ts';
import { pageLimit } from '../../store/history-query.ts';
import { readRoomLine } from '../event-codec.ts';
import { entryField } from './redis-replies.ts';

export async function readRoomHistory(
  redis: Redis,
  key: string,
  query: HistoryQuery,
): Promise<HistoryPage<RoomLine>> {
  const limit = pageLimit(query);
  if (limit === 0) return { lines: [], more: false };
  const reply: unknown =
    query.type === 'after'
      ? await redis.call('XRANGE', key, `(${query.id}-0`, '+', 'COUNT', limit + 1)
      : await redis.call(
          'XREVRANGE',
          key,
          query.type === 'before' ? `(${query.id}-0` : '+',
          '-',
          'COUNT',
          limit + 1,
        );
  const entries = Array.isArray(reply) ? reply : [];
  const lines: RoomLine[] = [];
  for (const entry of entries.slice(0, limit)) {
    const { value } = entryField(entry, 'l', 'XRANGE');
    const line = value === null ? null : parseLine(value);
    if (line !== null) lines.push(line);
  }
  if (query.type !== 'after') lines.reverse();
  return { lines, more: entries.length > limit };
}

function parseLine(text: string): RoomLine | null {
  try {
    return readRoomLine(JSON.parse(text));
  } catch {
    return null;
  }
}
