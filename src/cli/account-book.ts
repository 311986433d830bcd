/**
 * Where `udpchat account` keeps accounts: an accounts file (--accounts, read by `relay --accounts`) or the
 * relay's database (--db, the same file as `relay --db`). One shape for both, so add, remove and list are
 * written once. A database is held by one process at a time: while a relay runs on it, opening it here
 * fails with the store's one line ("in use by another process").
 */
import type { AccountRecord } from '../relay/accounts.ts';
import type { RelayStore } from '../relay/store.ts';
import { readAccountFile, writeAccountFile } from '../store/account-file.ts';
import { UsageError } from './usage-error.ts';

export interface AccountBook {
  /** The file, for messages. */
  readonly where: string;
  list(): readonly AccountRecord[];
  put(record: AccountRecord): void;
  remove(record: AccountRecord): void;
  /** Writes the changes (a database: commits them and releases the file). */
  save(): Promise<void>;
  /** Releases the book without writing what `save` would (an error path). */
  discard(): Promise<void>;
}

export interface BookFlags {
  readonly accounts?: string | undefined;
  readonly db?: string | undefined;
}

/** The book the flags name: exactly one of --accounts and --db. */
export async function openAccountBook(flags: BookFlags, createIfMissing: boolean): Promise<AccountBook> {
  if (flags.accounts !== undefined && flags.db !== undefined)
    throw new UsageError('conflict', 'give --accounts FILE or --db FILE, not both');
  if (flags.db !== undefined) return openDatabaseBook(flags.db);
  if (flags.accounts !== undefined) return openFileBook(flags.accounts, createIfMissing);
  throw new UsageError('missing-flag', 'needs --accounts FILE or --db FILE');
}

async function openFileBook(path: string, createIfMissing: boolean): Promise<AccountBook> {
  let records = await readAccountFile(path, createIfMissing);
  return {
    where: path,
    list: () => records,
    put: (record) => {
      const index = records.findIndex((existing) => existing.key === record.key);
      records = index >= 0 ? records.with(index, record) : [...records, record];
    },
    remove: (record) => {
      records = records.filter((existing) => existing !== record);
    },
    save: () => writeAccountFile(path, records),
    discard: async () => {},
  };
}

export async function openDatabase(path: string): Promise<RelayStore> {
  const { openSqliteStore } = await import('../store/sqlite/sqlite-store.ts');
  return openSqliteStore({ path });
}

async function openDatabaseBook(path: string): Promise<AccountBook> {
  const store = await openDatabase(path);
  return {
    where: path,
    list: () => store.listAccounts(),
    put: (record) => store.saveAccount(record),
    remove: (record) => store.removeAccount(record.key),
    save: () => store.close(),
    // Closing commits what is waiting; nothing waits here unless put or remove was called.
    discard: () => store.close(),
  };
}
