/**
 * The database schema, versioned with `PRAGMA user_version` (SQLite's own slot for it) and changed only by
 * appending a migration: a database at version n is brought to the latest by running migrations n+1, ...
 * in order, inside the transaction that opens it, so a failed migration leaves the file as it was.
 *
 * Version 1: accounts, kept room state, room history (with per-room counters, so that ids and line counts
 * need no scan at open, and survive the pruning of every line).
 * Version 2: private history, and the indexes by age that retention by age needs.
 */

/** The SQL of each version, in order: MIGRATIONS[0] makes version 1. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE store_meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE accounts (
    key TEXT PRIMARY KEY,
    nick TEXT NOT NULL,
    server_operator INTEGER NOT NULL,
    algorithm TEXT NOT NULL,
    salt TEXT NOT NULL,
    hash TEXT NOT NULL,
    n INTEGER NOT NULL,
    r INTEGER NOT NULL,
    p INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE rooms (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    topic TEXT NOT NULL,
    invite_only INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE room_invites (
    room TEXT NOT NULL,
    nick_key TEXT NOT NULL,
    PRIMARY KEY (room, nick_key)
  ) WITHOUT ROWID;
  CREATE TABLE room_bans (
    room TEXT NOT NULL,
    position INTEGER NOT NULL,
    account TEXT,
    host TEXT,
    nick_key TEXT NOT NULL,
    nick TEXT NOT NULL,
    PRIMARY KEY (room, position)
  ) WITHOUT ROWID;
  CREATE TABLE room_operators (
    room TEXT NOT NULL,
    position INTEGER NOT NULL,
    account TEXT,
    nick_key TEXT NOT NULL,
    host TEXT,
    PRIMARY KEY (room, position)
  ) WITHOUT ROWID;
  CREATE TABLE history_rooms (
    ref INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    last_id INTEGER NOT NULL,
    line_count INTEGER NOT NULL
  );
  CREATE TABLE room_lines (
    ref INTEGER NOT NULL,
    id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('say', 'action')),
    room_name TEXT NOT NULL,
    nick TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (ref, id)
  ) WITHOUT ROWID;
  `,
  `
  CREATE TABLE private_pairs (
    ref INTEGER PRIMARY KEY,
    low_key TEXT NOT NULL,
    high_key TEXT NOT NULL,
    last_id INTEGER NOT NULL,
    line_count INTEGER NOT NULL,
    UNIQUE (low_key, high_key)
  );
  CREATE TABLE private_lines (
    pair INTEGER NOT NULL,
    id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('say', 'action')),
    from_low INTEGER NOT NULL,
    from_nick TEXT NOT NULL,
    to_nick TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (pair, id)
  ) WITHOUT ROWID;
  CREATE INDEX room_lines_by_age ON room_lines (at);
  CREATE INDEX private_lines_by_age ON private_lines (at);
  `,
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
