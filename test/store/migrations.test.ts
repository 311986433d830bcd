/**
 * Migrations: an empty file, and a file at every earlier schema version, built here by SQL written for
 * the test (not by the store's own migrations), filled with data, then opened by the store.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { lookalikeKey } from '../../src/protocol/lookalike.ts';
import { LATEST_SCHEMA_VERSION } from '../../src/store/sqlite/schema.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { StoreError } from '../../src/store/store-error.ts';
import { account, privateLine, roomLine } from './support/lines.ts';
import { TempDir } from './support/temp-dir.ts';

const dir = new TempDir('migrations');
after(() => dir.remove());

const SALT = Buffer.alloc(16, 1).toString('base64');
const HASH = Buffer.alloc(32, 2).toString('base64');
/** Look-alike keys, as the relay computes them ("alice" is "allce": i and l look alike). */
const ALICE = lookalikeKey('alice');
const CAROL = lookalikeKey('carol');
const EVE = lookalikeKey('eve');
const OPS = lookalikeKey('#ops');
const A = lookalikeKey('#a');

/** Version 1 as it shipped: accounts, kept rooms, room history; no private lines, no age index. */
const VERSION_1 = `
  CREATE TABLE store_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE accounts (key TEXT PRIMARY KEY, nick TEXT NOT NULL, server_operator INTEGER NOT NULL,
    algorithm TEXT NOT NULL, salt TEXT NOT NULL, hash TEXT NOT NULL, n INTEGER NOT NULL, r INTEGER NOT NULL,
    p INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE rooms (key TEXT PRIMARY KEY, name TEXT NOT NULL, topic TEXT NOT NULL,
    invite_only INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE room_invites (room TEXT NOT NULL, nick_key TEXT NOT NULL, PRIMARY KEY (room, nick_key)) WITHOUT ROWID;
  CREATE TABLE room_bans (room TEXT NOT NULL, position INTEGER NOT NULL, account TEXT, host TEXT,
    nick_key TEXT NOT NULL, nick TEXT NOT NULL, PRIMARY KEY (room, position)) WITHOUT ROWID;
  CREATE TABLE room_operators (room TEXT NOT NULL, position INTEGER NOT NULL, account TEXT,
    nick_key TEXT NOT NULL, host TEXT, PRIMARY KEY (room, position)) WITHOUT ROWID;
  CREATE TABLE history_rooms (ref INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, last_id INTEGER NOT NULL,
    line_count INTEGER NOT NULL);
  CREATE TABLE room_lines (ref INTEGER NOT NULL, id INTEGER NOT NULL, at INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('say', 'action')), room_name TEXT NOT NULL, nick TEXT NOT NULL,
    text TEXT NOT NULL, PRIMARY KEY (ref, id)) WITHOUT ROWID;

  INSERT INTO store_meta VALUES ('clean_stop', '1');
  INSERT INTO accounts VALUES ('${ALICE}', 'alice', 1, 'scrypt', '${SALT}', '${HASH}', 16384, 8, 1);
  INSERT INTO rooms VALUES ('${OPS}', '#ops', 'kept topic', 1);
  INSERT INTO room_invites VALUES ('${OPS}', '${CAROL}');
  INSERT INTO room_bans VALUES ('${OPS}', 0, NULL, '10.0.0.9', '${EVE}', 'eve');
  INSERT INTO room_operators VALUES ('${OPS}', 0, '${ALICE}', '${ALICE}', NULL);
  INSERT INTO history_rooms VALUES (1, '${A}', 2, 2);
  INSERT INTO room_lines VALUES (1, 1, 1800000000000, 'say', '#a', 'alice', 'first');
  INSERT INTO room_lines VALUES (1, 2, 1800000000001, 'action', '#a', 'bob', 'waves');
  PRAGMA user_version = 1;
`;

/** A file at each version before the latest, made by the test's own SQL; 0 is an empty file. */
const EARLIER_VERSIONS: Record<number, string> = { 0: '', 1: VERSION_1 };

function fileAt(version: number): string {
  const path = dir.file(`v${version}`);
  const db = new Database(path);
  db.exec(EARLIER_VERSIONS[version] as string);
  db.close();
  return path;
}

/** The schema as SQLite keeps it (spacing aside), to compare a migrated file with a new one. */
function schemaOf(path: string): string[] {
  const db = new Database(path, { readonly: true });
  const sql = db
    .prepare<[], { sql: string }>('SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name')
    .all()
    .map((row) => row.sql.replace(/\s+/g, ' ').replace(/ ?([(),]) ?/g, '$1'));
  db.close();
  return sql;
}

describe('schema migrations', () => {
  it('the test builds a file at every version before the latest', () => {
    assert.deepEqual(
      Object.keys(EARLIER_VERSIONS).map(Number),
      Array.from({ length: LATEST_SCHEMA_VERSION }, (_, version) => version),
    );
  });

  it(`an empty file becomes version ${LATEST_SCHEMA_VERSION}`, async () => {
    const path = fileAt(0);
    const store = openSqliteStore({ path });
    assert.equal(store.migratedFrom, 0);
    await store.close();
    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('user_version', { simple: true }), LATEST_SCHEMA_VERSION);
    db.close();
  });

  for (const version of Object.keys(EARLIER_VERSIONS)
    .map(Number)
    .filter((v) => v > 0)) {
    it(`a version ${version} file keeps its data and gains what came later`, async () => {
      const path = fileAt(version);
      const store = openSqliteStore({ path });
      assert.equal(store.migratedFrom, version);
      assert.equal(store.cleanStart, true);
      assert.deepEqual(store.find(ALICE), account('alice', true));
      assert.deepEqual(store.keptRoom(OPS), {
        key: OPS,
        name: '#ops',
        topic: 'kept topic',
        inviteOnly: true,
        invited: [CAROL],
        bans: [{ account: null, host: '10.0.0.9', nickKey: EVE, nick: 'eve' }],
        operators: [{ account: ALICE, nickKey: ALICE, host: null }],
      });
      const page = await store.roomHistory(A, { type: 'last', limit: 10 });
      assert.deepEqual(
        page.lines.map((line) => [line.id, line.kind, line.nick, line.text]),
        [
          [1, 'say', 'alice', 'first'],
          [2, 'action', 'bob', 'waves'],
        ],
      );
      assert.equal(store.appendLine(roomLine('#a', 'third'))?.id, 3);
      assert.equal(store.appendPrivateLine(privateLine('alice', 'bob', 'new in version 2'))?.id, 1);
      await store.close();
      const fresh = dir.file('fresh');
      await openSqliteStore({ path: fresh }).close();
      assert.deepEqual(schemaOf(path), schemaOf(fresh), 'the migrated schema is the one a new file gets');
    });
  }

  it('a migration that fails leaves the file at its version, untouched', () => {
    const path = fileAt(1);
    const db = new Database(path);
    // Stands in for a file changed by hand: version 2 cannot create its table.
    db.exec('CREATE TABLE private_pairs (x)');
    db.close();
    assert.throws(
      () => openSqliteStore({ path }),
      (error: unknown) => error instanceof StoreError && /already exists/.test(error.message),
    );
    const after = new Database(path, { readonly: true });
    assert.equal(after.pragma('user_version', { simple: true }), 1);
    assert.equal(after.prepare('SELECT count(*) FROM room_lines').pluck().get(), 2);
    after.close();
  });
});
