/**
 * Opening the database file: created if missing with mode 0600 (it holds password hashes; SQLite gives its
 * -wal file the same mode), held for this process alone, in WAL mode, migrated to the latest schema.
 *
 * - `locking_mode = EXCLUSIVE` before WAL is entered: the lock taken by the first write transaction is
 *   kept until the file is closed, and no -shm file is used. A second process (a second relay on the
 *   same file, `udpchat account` while the relay runs) gets SQLITE_BUSY and is refused with one line.
 * - `synchronous = NORMAL` in WAL mode: a commit is in the WAL (the OS's page cache) when it returns, so it
 *   survives the process being killed (kill -9, a crash); the WAL is synced at checkpoints only, so the
 *   last commits before a power loss or kernel crash may be lost, never the file's consistency
 *   (https://www.sqlite.org/pragma.html#pragma_synchronous).
 */
import { accessSync, closeSync, constants, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MAX_UNCOMMITTED_LINES } from '../../relay/store.ts';
import { StoreError } from '../store-error.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './schema.ts';
import { storeErrorFor } from './sqlite-errors.ts';

export type SqliteDatabase = Database.Database;

export interface OpenedDatabase {
  readonly db: SqliteDatabase;
  /** The schema version the file had before this open migrated it (0 for a new file). */
  readonly migratedFrom: number;
  /** The last process to use the file closed it cleanly (so no id was handed out and not committed). */
  readonly cleanStart: boolean;
}

/** The marker `close()` sets after its last commit; an open clears it, so a crash leaves it unset. */
const CLEAN_STOP = 'clean_stop';

export function openDatabase(path: string, lockTimeoutMs: number): OpenedDatabase {
  createPrivately(path);
  checkWritable(path);
  let db: SqliteDatabase;
  try {
    db = new Database(path, { fileMustExist: true, timeout: lockTimeoutMs });
  } catch (error) {
    throw storeErrorFor(path, error);
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    if (db.pragma('journal_mode = WAL', { simple: true }) !== 'wal')
      throw new StoreError('read-only', path, 'cannot be written (WAL mode could not be entered)');
    db.pragma('synchronous = NORMAL');
    return { db, ...db.transaction(() => startRun(db, path)).immediate() };
  } catch (error) {
    db.close();
    throw storeErrorFor(path, error);
  }
}

/** Marks a clean stop: the last thing `close()` writes. */
export function markCleanStop(db: SqliteDatabase): void {
  db.prepare('INSERT OR REPLACE INTO store_meta (name, value) VALUES (?, ?)').run(CLEAN_STOP, '1');
}

/** Limits the file to `maxBytes` (rounded down to whole pages); past it a commit fails with disk-full. */
export function limitSize(db: SqliteDatabase, maxBytes: number | null): void {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = maxBytes === null ? 4_294_967_294 : Math.max(1, Math.floor(maxBytes / pageSize));
  db.pragma(`max_page_count = ${pages}`);
}

/**
 * The file is created here, not by SQLite, so that it gets mode 0600 from the start: `wx` never follows a
 * file someone else made in the meantime, and an existing file is left as it is.
 */
function createPrivately(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw storeErrorFor(path, error);
  }
}

/**
 * Asked before SQLite is: it opens a file it cannot write read-only without a word, and then fails at the
 * first lock with an I/O error that says nothing of permissions.
 */
function checkWritable(path: string): void {
  if (!canWrite(path)) throw new StoreError('read-only', path, 'cannot be written (permission denied)');
  if (!canWrite(dirname(path)))
    throw new StoreError(
      'read-only',
      path,
      'its directory cannot be written (the -wal file is kept beside it)',
    );
}

function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Inside the transaction that takes the lock: migrate, then read and clear the clean-stop marker. */
function startRun(db: SqliteDatabase, path: string): Omit<OpenedDatabase, 'db'> {
  const migratedFrom = migrate(db, path);
  const marker = db.prepare('SELECT value FROM store_meta WHERE name = ?').pluck().get(CLEAN_STOP);
  // A new file, or one whose last user stopped cleanly; anything else stopped without its last commits.
  const cleanStart = migratedFrom === 0 || marker === '1';
  if (!cleanStart) skipUncommittedIds(db);
  db.prepare('INSERT OR REPLACE INTO store_meta (name, value) VALUES (?, ?)').run(CLEAN_STOP, '0');
  return { migratedFrom, cleanStart };
}

function migrate(db: SqliteDatabase, path: string): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > LATEST_SCHEMA_VERSION)
    throw new StoreError(
      'newer-schema',
      path,
      `schema version ${version} is newer than this udpchat knows (${LATEST_SCHEMA_VERSION}): use a newer udpchat`,
    );
  if (version === 0 && db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get() !== 0)
    throw new StoreError(
      'corrupt',
      path,
      'is an SQLite database, but not one of udpchat (no schema version)',
    );
  for (let next = version; next < LATEST_SCHEMA_VERSION; next++) db.exec(MIGRATIONS[next] as string);
  db.pragma(`user_version = ${LATEST_SCHEMA_VERSION}`);
  return version;
}

/**
 * After an unclean stop, ids up to MAX_UNCOMMITTED_LINES past the last committed one may have been sent
 * live with lines that were never committed: every conversation's ids go on after that range, and the
 * jump is written now, so that a second crash before the next commit does not reuse them either.
 */
function skipUncommittedIds(db: SqliteDatabase): void {
  db.prepare('UPDATE history_rooms SET last_id = last_id + ?').run(MAX_UNCOMMITTED_LINES);
  db.prepare('UPDATE private_pairs SET last_id = last_id + ?').run(MAX_UNCOMMITTED_LINES);
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}
