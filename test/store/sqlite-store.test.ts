import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { lookalikeKey } from '../../src/protocol/lookalike.ts';
import { MAX_UNCOMMITTED_LINES, type StoreFailure } from '../../src/relay/store.ts';
import {
  COMMIT_RETRY_MIN_MS,
  DEFAULT_COMMIT_BATCH,
  DEFAULT_COMMIT_DELAY_MS,
} from '../../src/store/limits.ts';
import { openSqliteStore, type SqliteStoreOptions } from '../../src/store/sqlite/sqlite-store.ts';
import { StoreError } from '../../src/store/store-error.ts';
import { CliProcess } from '../e2e/support/cli-process.ts';
import { account, busyRoom, privateLine, roomLine } from './support/lines.ts';
import { ManualScheduler } from './support/manual-scheduler.ts';
import { TempDir } from './support/temp-dir.ts';

const dir = new TempDir('sqlite-store');
after(() => dir.remove());

const STORE_PROCESS = new URL('./fixtures/store-process.ts', import.meta.url).pathname;
const A = lookalikeKey('#a');

function open(path: string, options: Partial<SqliteStoreOptions> = {}) {
  const scheduler = new ManualScheduler();
  return { store: openSqliteStore({ path, scheduler, ...options }), scheduler };
}

/** A text that fills a good part of a page, so a few lines grow the file. */
const LONG = 'x'.repeat(900);

describe('SqliteStore keeps everything across a restart', () => {
  it('accounts, rooms, room and private history, and ids going on where they stopped', async () => {
    const path = dir.file();
    const first = open(path).store;
    first.saveAccount(account('alice', true));
    first.saveRoom(busyRoom('#ops'));
    for (let i = 1; i <= 3; i++) first.appendLine(roomLine('#a', `a${i}`));
    first.appendPrivateLine(privateLine('alice', 'bob', 'psst'));
    await first.close();

    const second = open(path).store;
    assert.equal(second.cleanStart, true);
    assert.deepEqual(second.find(lookalikeKey('alice')), account('alice', true));
    assert.deepEqual(second.keptRoom(lookalikeKey('#ops')), busyRoom('#ops'));
    const page = await second.roomHistory(A, { type: 'last', limit: 10 });
    assert.deepEqual(
      page.lines.map((line) => [line.id, line.text]),
      [
        [1, 'a1'],
        [2, 'a2'],
        [3, 'a3'],
      ],
    );
    assert.equal(second.lastLineId(A), 3);
    assert.equal(second.appendLine(roomLine('#a', 'a4'))?.id, 4);
    assert.equal(second.appendPrivateLine(privateLine('bob', 'alice', 'yes?'))?.id, 2);
    await second.close();
  });

  it('a kept secret (the v2 reset key) is made once and is the same after a kill -9 or a clean stop', async () => {
    const path = dir.file();
    let made = 0;
    const create = (): Uint8Array => new Uint8Array(32).fill(++made);
    const first = open(path).store;
    const secret = first.keptSecret('v2-reset-key', create);
    assert.deepEqual(first.keptSecret('v2-reset-key', create), secret, 'asked again: the same');
    assert.notDeepEqual(first.keptSecret('other', create), secret, 'another name, another secret');
    await first.close();
    const second = open(path).store;
    assert.deepEqual(second.keptSecret('v2-reset-key', create), secret);
    assert.equal(made, 2, 'nothing made again after the restart');
    await second.close();
  });

  it('the file and its -wal file are readable by their owner only', async () => {
    const path = dir.file();
    const { store, scheduler } = open(path);
    store.appendLine(roomLine('#a', 'hello'));
    scheduler.advance(DEFAULT_COMMIT_DELAY_MS);
    const files = readdirSync(dir.path).filter((name) => join(dir.path, name).startsWith(path));
    assert.ok(
      files.some((name) => name.endsWith('-wal')),
      `a -wal file exists (${files.join(', ')})`,
    );
    for (const name of files) assert.equal(statSync(join(dir.path, name)).mode & 0o777, 0o600, name);
    await store.close();
  });

  it('text edited into the file by hand comes back made safe', async () => {
    const path = dir.file();
    const { store } = open(path);
    // The relay only keeps sanitised text; this stands for a file changed behind its back.
    store.appendLine({ ...roomLine('#a', 'ok'), text: 'evil \u001b[2Jclear \u202eflip' });
    const page = await store.roomHistory(A, { type: 'last', limit: 1 });
    assert.equal(page.lines[0]?.text, 'evil clear flip');
    await store.close();
  });
});

describe('SqliteStore group commit', () => {
  it('reports nothing committed until the commit timer has run, then everything at once', async () => {
    const { store, scheduler } = open(dir.file());
    const told: number[] = [];
    store.subscribe({ committed: (ticket) => told.push(ticket), failed: (f) => assert.fail(f.message) });
    for (let i = 0; i < 10; i++) store.appendLine(roomLine('#a', `line ${i}`));
    scheduler.advance(DEFAULT_COMMIT_DELAY_MS - 1);
    assert.equal(store.committedTicket, 0);
    assert.deepEqual(told, []);
    assert.equal(store.stats().pendingWrites, 10);
    scheduler.advance(1);
    assert.deepEqual(told, [10]);
    assert.equal(store.stats().commits, 1);
    await store.close();
  });

  it(`a burst commits in few transactions: one per ${DEFAULT_COMMIT_BATCH} writes`, async () => {
    const { store, scheduler } = open(dir.file());
    const burst = DEFAULT_COMMIT_BATCH * 8;
    for (let i = 0; i < burst; i++) store.appendLine(roomLine('#a', `line ${i}`));
    scheduler.advance(0);
    assert.equal(store.committedTicket, burst);
    assert.ok(store.stats().commits <= 8, `${store.stats().commits} commits`);
    await store.close();
  });

  it('a full database: the batch is kept and retried with back-off, nothing is lost, lines still read', async () => {
    const path = dir.file();
    const { store, scheduler } = open(path);
    store.appendLine(roomLine('#a', 'before'));
    await store.flush();
    const failures: StoreFailure[] = [];
    const told: number[] = [];
    store.subscribe({
      committed: (ticket) => told.push(ticket),
      failed: (failure) => failures.push(failure),
    });
    store.setMaxBytes(statSync(path).size);
    for (let i = 0; i < 50; i++) store.appendLine(roomLine('#a', `${i} ${LONG}`));
    scheduler.advance(DEFAULT_COMMIT_DELAY_MS);
    assert.equal(failures.length, 1);
    assert.equal(failures[0]?.code, 'disk-full');
    assert.match(
      failures[0]?.message ?? '',
      /database .*: the disk, or the size cap of the database, is full/,
    );
    assert.equal(failures[0]?.pendingWrites, 50);
    assert.equal(failures[0]?.retryInMs, COMMIT_RETRY_MIN_MS);
    scheduler.advance(COMMIT_RETRY_MIN_MS);
    assert.equal(failures[1]?.retryInMs, COMMIT_RETRY_MIN_MS * 2, 'the back-off doubles');
    assert.equal(store.committedTicket, 1);
    const meanwhile = await store.roomHistory(A, { type: 'last', limit: 100 });
    assert.deepEqual(
      meanwhile.lines.map((line) => line.text),
      ['before'],
      'the committed lines are still served',
    );
    await assert.rejects(
      store.flush(),
      (error: unknown) => error instanceof StoreError && error.code === 'disk-full',
    );

    store.setMaxBytes(null);
    scheduler.advance(COMMIT_RETRY_MIN_MS * 8);
    assert.equal(store.committedTicket, 51);
    assert.equal(told.at(-1), 51);
    const page = await store.roomHistory(A, { type: 'last', limit: 100 });
    assert.deepEqual(
      page.lines.map((line) => line.id),
      Array.from({ length: 51 }, (_, i) => i + 1),
    );
    assert.ok(store.stats().commitFailures >= 3);
    await store.close();
  });

  it('past the bound of waiting lines a new line is refused and counted; room saves still go through', async () => {
    const path = dir.file();
    const { store, scheduler } = open(path, { commit: { maxWaitingLines: 5 } });
    await store.flush();
    store.setMaxBytes(statSync(path).size);
    const appended = Array.from({ length: 7 }, (_, i) => store.appendLine(roomLine('#a', `${i} ${LONG}`)));
    assert.deepEqual(
      appended.map((line) => line?.id ?? null),
      [1, 2, 3, 4, 5, null, null],
    );
    assert.equal(store.stats().linesRefused, 2);
    assert.ok(store.saveRoom(busyRoom()) > 0);
    scheduler.advance(DEFAULT_COMMIT_DELAY_MS);
    store.setMaxBytes(null);
    scheduler.advance(COMMIT_RETRY_MIN_MS);
    assert.equal(store.stats().pendingWrites, 0);
    assert.equal(store.appendLine(roomLine('#a', 'after'))?.id, 6, 'a refused line used up no id');
    await store.close();
  });

  it('saving the same room again while it waits replaces the waiting write', async () => {
    const { store, scheduler } = open(dir.file());
    const first = store.saveRoom(busyRoom('#ops'));
    const second = store.saveRoom({ ...busyRoom('#ops'), topic: 'changed' });
    assert.equal(second, first);
    assert.equal(store.stats().pendingWrites, 1);
    scheduler.advance(DEFAULT_COMMIT_DELAY_MS);
    assert.equal(store.committedTicket, first);
    await store.close();
  });

  it('close on a full disk refuses to pretend: it says how many writes were not saved', async () => {
    const path = dir.file();
    const { store } = open(path);
    store.appendLine(roomLine('#a', 'kept'));
    await store.flush();
    store.setMaxBytes(statSync(path).size);
    for (let i = 0; i < 20; i++) store.appendLine(roomLine('#a', `${i} ${LONG}`));
    await assert.rejects(
      store.close(),
      (error: unknown) =>
        error instanceof StoreError &&
        error.code === 'unsaved' &&
        /20 writes could not be saved/.test(error.message),
    );
    const again = open(path).store;
    assert.equal(again.cleanStart, false, 'a close with writes missing is not a clean stop');
    assert.equal(again.lastLineId(A), 1 + MAX_UNCOMMITTED_LINES);
    await again.close();
  });
});

describe('SqliteStore after kill -9', () => {
  it('keeps every line it reported committed, and never reuses an id handed out before the kill', async () => {
    const path = dir.file();
    const writer = CliProcess.spawn(process.execPath, ['--import', 'tsx', STORE_PROCESS, 'write', path], {
      name: 'writer',
    });
    let lastCommitted = 0;
    await writer.waitForLine(
      (line) => {
        const match = /^committed \d+ (\d+)$/.exec(line);
        if (match) lastCommitted = Number(match[1]);
        return lastCommitted >= 5_000;
      },
      { timeoutMs: 20_000 },
    );
    process.kill(writer.pid as number, 'SIGKILL');
    const status = await writer.waitForExit();
    assert.equal(status.signal, 'SIGKILL');

    const { store } = open(path);
    assert.equal(store.cleanStart, false);
    const stored: number[] = [];
    for (let id = 0, more = true; more; ) {
      const page = await store.roomHistory(A, { type: 'after', id, limit: 200 });
      stored.push(...page.lines.map((line) => line.id));
      id = page.lines.at(-1)?.id ?? id;
      more = page.more;
    }
    assert.ok(stored.length >= lastCommitted, `${stored.length} stored, ${lastCommitted} reported committed`);
    assert.deepEqual(
      stored.slice(0, lastCommitted),
      Array.from({ length: lastCommitted }, (_, i) => i + 1),
    );
    const next = store.appendLine(roomLine('#a', 'after the restart'));
    assert.equal(next?.id, (stored.at(-1) as number) + MAX_UNCOMMITTED_LINES + 1);
    await store.close();
  });
});
