/** History read back from the file: one page per query, rows made into the core's lines. */
import type { HistoryPage, HistoryQuery, LineKind, PrivateLine, RoomLine } from '../../relay/store.ts';
import { pageLimit } from '../history-query.ts';
import type { PairConversation } from './conversations.ts';
import { keptLineText, keptName } from './kept-text.ts';
import type { LineQueries, PrivateLineRow, RoomLineRow } from './statements.ts';

/** Asks for one row more than the page holds: its presence says there are more. */
export function readPage<Row, Line>(
  queries: LineQueries<Row>,
  ref: number,
  query: HistoryQuery,
  toLine: (row: Row) => Line,
): HistoryPage<Line> {
  const limit = pageLimit(query);
  if (query.type === 'after') {
    const rows = queries.after.all(ref, query.id, limit + 1);
    return { lines: rows.slice(0, limit).map(toLine), more: rows.length > limit };
  }
  const rows =
    query.type === 'last' ? queries.last.all(ref, limit + 1) : queries.before.all(ref, query.id, limit + 1);
  return { lines: rows.slice(0, limit).reverse().map(toLine), more: rows.length > limit };
}

export function toRoomLine(roomKey: string, row: RoomLineRow): RoomLine {
  return {
    roomKey,
    roomName: keptName(row.roomName),
    id: row.id,
    at: row.at,
    kind: lineKind(row.kind),
    nick: keptName(row.nick),
    text: keptLineText(row.text),
  };
}

export function toPrivateLine(pair: PairConversation, row: PrivateLineRow): PrivateLine {
  const [fromKey, toKey] = row.fromLow !== 0 ? [pair.lowKey, pair.highKey] : [pair.highKey, pair.lowKey];
  return {
    fromKey,
    fromNick: keptName(row.fromNick),
    toKey,
    toNick: keptName(row.toNick),
    id: row.id,
    at: row.at,
    kind: lineKind(row.kind),
    text: keptLineText(row.text),
  };
}

/** The schema allows only these two (a CHECK constraint); anything else reads as a plain line. */
function lineKind(kind: string): LineKind {
  return kind === 'action' ? 'action' : 'say';
}
