import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { lookalikeKey } from '../../src/protocol/lookalike.ts';
import { readAccountFile, writeAccountFile } from '../../src/store/account-file.ts';
import { importAccounts } from '../../src/store/account-import.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { StoreError } from '../../src/store/store-error.ts';
import { account } from './support/lines.ts';
import { TempDir } from './support/temp-dir.ts';

const dir = new TempDir('account-import');
after(() => dir.remove());

/** An accounts file on disk, read back through the relay's own validation. */
async function accountsFile(...records: ReturnType<typeof account>[]) {
  const path = dir.file('accounts');
  await writeAccountFile(path, records);
  return readAccountFile(path);
}

describe('importing an accounts file into a database', () => {
  it('adds every account, and they are there after a restart', async () => {
    const path = dir.file();
    const store = openSqliteStore({ path });
    const result = importAccounts(store, await accountsFile(account('alice', true), account('bob')));
    assert.deepEqual(
      result.added.map((record) => record.nick),
      ['alice', 'bob'],
    );
    await store.close();
    const again = openSqliteStore({ path });
    assert.deepEqual(again.find(lookalikeKey('alice')), account('alice', true));
    assert.equal(again.listAccounts().length, 2);
    await again.close();
  });

  it('is idempotent: a second import of the same file changes nothing', async () => {
    const store = openSqliteStore({ path: dir.file() });
    const records = await accountsFile(account('alice'), account('bob'));
    importAccounts(store, records);
    const ticket = store.stats().lastTicket;
    const second = importAccounts(store, records);
    assert.deepEqual(second.added, []);
    assert.equal(second.unchanged.length, 2);
    assert.equal(store.stats().lastTicket, ticket, 'nothing was written');
    await store.close();
  });

  it('adds the new accounts of a file that also holds ones already imported', async () => {
    const store = openSqliteStore({ path: dir.file() });
    importAccounts(store, await accountsFile(account('alice')));
    const result = importAccounts(store, await accountsFile(account('alice'), account('carol')));
    assert.deepEqual(
      result.added.map((record) => record.nick),
      ['carol'],
    );
    await store.close();
  });

  for (const [what, changed, says] of [
    ['another secret', account('alice', false, 9), /another secret/],
    ['another operator flag', account('alice', true), /another server operator flag/],
    ['another spelling of the nick', account('Alice'), /another spelling \("alice"\)/],
  ] as const)
    it(`refuses the whole import, naming the account, when one exists with ${what}`, async () => {
      const store = openSqliteStore({ path: dir.file() });
      importAccounts(store, await accountsFile(account('alice')));
      const records = await accountsFile(account('bob'), changed);
      assert.throws(
        () => importAccounts(store, records),
        (error: unknown) =>
          error instanceof StoreError &&
          error.code === 'conflict' &&
          says.test(error.message) &&
          /nothing imported/.test(error.message),
      );
      assert.equal(store.find(lookalikeKey('bob')), undefined, 'not even the accounts before the conflict');
      assert.deepEqual(store.find(lookalikeKey('alice')), account('alice'));
      await store.close();
    });
});
