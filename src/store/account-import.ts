/**
 * `udpchat account import`: the accounts of an accounts file (account-file.ts, validated as the relay
 * validates it) copied once into a store. It is idempotent: an account already there, identical, is
 * left alone, so running the import twice changes nothing. An account that exists with anything different
 * (another spelling of the nick, another secret, another operator flag) is a conflict: the whole import
 * is refused, naming it, before anything is written, because silently keeping either side would be a
 * guess about which one the operator meant.
 */
import { escapeForDisplay } from '../protocol/trace-format.ts';
import type { AccountRecord } from '../relay/accounts.ts';
import type { AccountStore } from '../relay/store.ts';
import { StoreError } from './store-error.ts';

export interface ImportResult {
  readonly added: readonly AccountRecord[];
  readonly unchanged: readonly AccountRecord[];
}

export function importAccounts(store: AccountStore, records: readonly AccountRecord[]): ImportResult {
  const added: AccountRecord[] = [];
  const unchanged: AccountRecord[] = [];
  for (const record of records) {
    const existing = store.find(record.key);
    if (existing === undefined) added.push(record);
    else if (sameAccount(existing, record)) unchanged.push(record);
    else
      throw new StoreError(
        'conflict',
        null,
        `account "${escapeForDisplay(record.nick)}" already exists with another ${difference(existing, record)}: nothing imported (remove it first to import it)`,
      );
  }
  for (const record of added) store.saveAccount(record);
  return { added, unchanged };
}

function sameAccount(a: AccountRecord, b: AccountRecord): boolean {
  return difference(a, b) === null;
}

function difference(a: AccountRecord, b: AccountRecord): string | null {
  if (a.nick !== b.nick) return `spelling ("${escapeForDisplay(a.nick)}")`;
  if (a.serverOperator !== b.serverOperator) return 'server operator flag';
  const x = a.credential;
  const y = b.credential;
  if (
    x.algorithm !== y.algorithm ||
    x.salt !== y.salt ||
    x.hash !== y.hash ||
    x.N !== y.N ||
    x.r !== y.r ||
    x.p !== y.p
  )
    return 'secret';
  return null;
}
