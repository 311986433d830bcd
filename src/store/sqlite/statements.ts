/** Every SQL statement the store runs at work, prepared once when the file is opened. */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './open-database.ts';

/** A room line as stored (the room's key is its conversation's, not repeated in every row). */
export interface RoomLineRow {
  readonly id: number;
  readonly at: number;
  readonly kind: string;
  readonly roomName: string;
  readonly nick: string;
  readonly text: string;
}

export interface PrivateLineRow {
  readonly id: number;
  readonly at: number;
  readonly kind: string;
  readonly fromLow: number;
  readonly fromNick: string;
  readonly toNick: string;
  readonly text: string;
}

/** The three history queries of one table: newest, older than an id, newer than an id. */
export interface LineQueries<Row> {
  readonly last: Statement<[number, number], Row>;
  readonly before: Statement<[number, number, number], Row>;
  readonly after: Statement<[number, number, number], Row>;
}

/** Retention for one table. */
export interface LinePruning {
  /** Deletes the oldest lines of a conversation: (ref, ref, how many - 1). */
  readonly oldest: Statement<[number, number, number]>;
  /** Deletes up to a number of lines older than a time, returning each deleted line's conversation. */
  readonly aged: Statement<[number, number], { readonly ref: number }>;
  readonly setCount: Statement<[number, number]>;
}

const ROOM_COLUMNS = 'id, at, kind, room_name AS roomName, nick, text';
const PRIVATE_COLUMNS = 'id, at, kind, from_low AS fromLow, from_nick AS fromNick, to_nick AS toNick, text';

export interface Statements {
  readonly putAccount: Statement<[string, string, number, string, string, string, number, number, number]>;
  readonly deleteAccount: Statement<[string]>;
  readonly putRoom: Statement<[string, string, string, number]>;
  readonly deleteRoom: Statement<[string]>;
  readonly deleteInvites: Statement<[string]>;
  readonly deleteBans: Statement<[string]>;
  readonly deleteOperators: Statement<[string]>;
  readonly putInvite: Statement<[string, string]>;
  readonly putBan: Statement<[string, number, string | null, string | null, string, string]>;
  readonly putOperator: Statement<[string, number, string | null, string, string | null]>;
  readonly putRoomConversation: Statement<[number, string, number, number]>;
  readonly putRoomLine: Statement<[number, number, number, string, string, string, string]>;
  readonly putPairConversation: Statement<[number, string, string, number, number]>;
  readonly putPrivateLine: Statement<[number, number, number, string, number, string, string, string]>;
  readonly roomLines: LineQueries<RoomLineRow>;
  readonly privateLines: LineQueries<PrivateLineRow>;
  readonly pruneRoomLines: LinePruning;
  readonly prunePrivateLines: LinePruning;
}

export function prepareStatements(db: SqliteDatabase): Statements {
  return {
    putAccount: db.prepare<[string, string, number, string, string, string, number, number, number]>(
      `INSERT OR REPLACE INTO accounts (key, nick, server_operator, algorithm, salt, hash, n, r, p)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    deleteAccount: db.prepare<[string]>('DELETE FROM accounts WHERE key = ?'),
    putRoom: db.prepare<[string, string, string, number]>(
      'INSERT OR REPLACE INTO rooms (key, name, topic, invite_only) VALUES (?, ?, ?, ?)',
    ),
    deleteRoom: db.prepare<[string]>('DELETE FROM rooms WHERE key = ?'),
    deleteInvites: db.prepare<[string]>('DELETE FROM room_invites WHERE room = ?'),
    deleteBans: db.prepare<[string]>('DELETE FROM room_bans WHERE room = ?'),
    deleteOperators: db.prepare<[string]>('DELETE FROM room_operators WHERE room = ?'),
    putInvite: db.prepare<[string, string]>(
      'INSERT OR IGNORE INTO room_invites (room, nick_key) VALUES (?, ?)',
    ),
    putBan: db.prepare<[string, number, string | null, string | null, string, string]>(
      'INSERT INTO room_bans (room, position, account, host, nick_key, nick) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    putOperator: db.prepare<[string, number, string | null, string, string | null]>(
      'INSERT INTO room_operators (room, position, account, nick_key, host) VALUES (?, ?, ?, ?, ?)',
    ),
    putRoomConversation: db.prepare<[number, string, number, number]>(
      `INSERT INTO history_rooms (ref, key, last_id, line_count) VALUES (?, ?, ?, ?)
       ON CONFLICT (ref) DO UPDATE SET last_id = excluded.last_id, line_count = excluded.line_count`,
    ),
    putRoomLine: db.prepare<[number, number, number, string, string, string, string]>(
      'INSERT INTO room_lines (ref, id, at, kind, room_name, nick, text) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    putPairConversation: db.prepare<[number, string, string, number, number]>(
      `INSERT INTO private_pairs (ref, low_key, high_key, last_id, line_count) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (ref) DO UPDATE SET last_id = excluded.last_id, line_count = excluded.line_count`,
    ),
    putPrivateLine: db.prepare<[number, number, number, string, number, string, string, string]>(
      `INSERT INTO private_lines (pair, id, at, kind, from_low, from_nick, to_nick, text)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    roomLines: lineQueries<RoomLineRow>(db, 'room_lines', 'ref', ROOM_COLUMNS),
    privateLines: lineQueries<PrivateLineRow>(db, 'private_lines', 'pair', PRIVATE_COLUMNS),
    pruneRoomLines: linePruning(db, 'room_lines', 'ref', 'history_rooms'),
    prunePrivateLines: linePruning(db, 'private_lines', 'pair', 'private_pairs'),
  };
}

/** Each asks for one line more than the page, to know whether there are more. */
function lineQueries<Row>(db: SqliteDatabase, table: string, ref: string, columns: string): LineQueries<Row> {
  const from = `SELECT ${columns} FROM ${table} WHERE ${ref} = ?`;
  return {
    last: db.prepare<[number, number], Row>(`${from} ORDER BY id DESC LIMIT ?`),
    before: db.prepare<[number, number, number], Row>(`${from} AND id < ? ORDER BY id DESC LIMIT ?`),
    after: db.prepare<[number, number, number], Row>(`${from} AND id > ? ORDER BY id ASC LIMIT ?`),
  };
}

function linePruning(db: SqliteDatabase, table: string, ref: string, conversations: string): LinePruning {
  return {
    oldest: db.prepare<[number, number, number]>(
      `DELETE FROM ${table} WHERE ${ref} = ? AND id <= (SELECT id FROM ${table} WHERE ${ref} = ? ORDER BY id LIMIT 1 OFFSET ?)`,
    ),
    aged: db.prepare<[number, number], { readonly ref: number }>(
      `DELETE FROM ${table} WHERE (${ref}, id) IN (SELECT ${ref}, id FROM ${table} WHERE at < ? ORDER BY at LIMIT ?)
       RETURNING ${ref} AS ref`,
    ),
    setCount: db.prepare<[number, number]>(`UPDATE ${conversations} SET line_count = ? WHERE ref = ?`),
  };
}
