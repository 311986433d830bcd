/**
 * Files the store must refuse with one clear line rather than crash on or quietly misuse: a newer schema,
 * a file that is not a database (or not ours), one it may not write, and one another process holds.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { StoreErrorCode } from '../../src/relay/store.ts';
import { LATEST_SCHEMA_VERSION } from '../../src/store/sqlite/schema.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { StoreError } from '../../src/store/store-error.ts';
import { CliProcess, REPO_ROOT } from '../e2e/support/cli-process.ts';
import { account } from './support/lines.ts';
import { TempDir } from './support/temp-dir.ts';

const dir = new TempDir('sqlite-files');
after(() => dir.remove());

const STORE_PROCESS = new URL('./fixtures/store-process.ts', import.meta.url).pathname;
/** `nobody`: root may write any file, so a read-only file is tried from an unprivileged process. */
const UNPRIVILEGED = 65_534;

function refusal(path: string): StoreError {
  try {
    openSqliteStore({ path }).close();
  } catch (error) {
    if (error instanceof StoreError) return error;
    throw error;
  }
  assert.fail(`${path} was opened`);
}

function assertOneLine(error: StoreError, code: StoreErrorCode, path: string, says: RegExp): void {
  assert.equal(error.code, code);
  assert.ok(error.message.startsWith(`database ${path}: `), error.message);
  assert.match(error.message, says);
  assert.doesNotMatch(error.message, /\n/);
}

/** Runs the store process once; its exit status and the line it printed. */
function tryOpen(path: string, asUser?: number) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', STORE_PROCESS, 'try', path], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    ...(asUser === undefined ? {} : { uid: asUser, gid: asUser }),
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

describe('files the store refuses', () => {
  it('a file from a newer schema: one line naming both versions, and the file is left alone', () => {
    const path = dir.file();
    openSqliteStore({ path }).close();
    const db = new Database(path);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    db.close();
    const error = refusal(path);
    assertOneLine(
      error,
      'newer-schema',
      path,
      new RegExp(`schema version ${LATEST_SCHEMA_VERSION + 5} is newer`),
    );
    assert.match(error.message, new RegExp(`\\(${LATEST_SCHEMA_VERSION}\\)`));
    const after = new Database(path);
    assert.equal(after.pragma('user_version', { simple: true }), LATEST_SCHEMA_VERSION + 5);
    after.close();
  });

  it('a file that is not a database', () => {
    const path = dir.file();
    writeFileSync(path, 'just some text, not a database\n'.repeat(200));
    assertOneLine(refusal(path), 'corrupt', path, /not a database/);
  });

  it('an SQLite database of some other program', () => {
    const path = dir.file();
    const db = new Database(path);
    db.exec('CREATE TABLE recipes (name TEXT)');
    db.close();
    assertOneLine(refusal(path), 'corrupt', path, /not one of udpchat/);
  });

  it('an account edited by hand into one an accounts file would refuse', async () => {
    const path = dir.file();
    const store = openSqliteStore({ path });
    store.saveAccount(account('alice'));
    await store.close();
    const db = new Database(path);
    db.prepare('UPDATE accounts SET n = 3000').run();
    db.close();
    assertOneLine(refusal(path), 'corrupt', path, /its accounts are invalid: .*N must be a power of two/);
  });

  it('a path in a directory that does not exist', () => {
    const path = join(dir.path, 'missing', 'store.db');
    assertOneLine(refusal(path), 'io', path, /its directory does not exist/);
  });

  it('a file its user may not write, tried by a real process: one line on stderr and exit status 1', () => {
    const path = dir.file();
    openSqliteStore({ path }).close();
    chmodSync(path, 0o444);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chmodSync(dir.path, 0o755);
    const result = tryOpen(path, asRoot ? UNPRIVILEGED : undefined);
    assert.equal(result.status, 1, result.stdout);
    assert.equal(result.stderr, `read-only database ${path}: cannot be written (permission denied)`);
  });

  it('a directory its user may not write (SQLite keeps the -wal file there)', () => {
    const sub = join(dir.path, 'locked-dir');
    mkdirSync(sub);
    const path = join(sub, 'store.db');
    openSqliteStore({ path }).close();
    chmodSync(path, 0o666);
    chmodSync(sub, 0o555);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chmodSync(dir.path, 0o755);
    const result = tryOpen(path, asRoot ? UNPRIVILEGED : undefined);
    chmodSync(sub, 0o755);
    assert.equal(result.status, 1, result.stdout);
    assert.match(result.stderr, /^read-only database .*: its directory cannot be written/);
  });
});

describe('two relays on one file', () => {
  it('the second process is refused clearly while the first holds the file, and opens once it is gone', async () => {
    const path = dir.file();
    const first = CliProcess.spawn(process.execPath, ['--import', 'tsx', STORE_PROCESS, 'hold', path], {
      name: 'first',
    });
    try {
      await first.waitForLine('open', { timeoutMs: 20_000 });
      const second = tryOpen(path);
      assert.equal(second.status, 1);
      assert.equal(
        second.stderr,
        `locked database ${path}: in use by another process (a second relay on the same file?)`,
      );
      assertOneLine(refusal(path), 'locked', path, /in use by another process/);
    } finally {
      first.endInput();
      await first.waitForExit(20_000);
    }
    assert.equal(tryOpen(path).stdout, 'opened');
  });
});
