/**
 * What a failure of SQLite (or of the file system under it) means for the relay, as a store error code
 * and a short phrase. SQLite's result codes are documented at https://www.sqlite.org/rescode.html; the
 * extended ones (SQLITE_IOERR_WRITE, ...) start with their primary code.
 */
import type { StoreErrorCode } from '../../relay/store.ts';
import { StoreError } from '../store-error.ts';

export interface Classified {
  readonly code: StoreErrorCode;
  readonly problem: string;
}

/** Prefix of SQLite's code, what it means here, and whether SQLite's own words add to ours. */
const PRIMARY: ReadonlyArray<readonly [string, StoreErrorCode, string, boolean]> = [
  ['SQLITE_BUSY', 'locked', 'in use by another process (a second relay on the same file?)', false],
  ['SQLITE_LOCKED', 'locked', 'in use by another process (a second relay on the same file?)', false],
  ['SQLITE_NOTADB', 'corrupt', 'not a database, or damaged', false],
  ['SQLITE_CORRUPT', 'corrupt', 'damaged', true],
  ['SQLITE_READONLY', 'read-only', 'cannot be written', true],
  ['SQLITE_PERM', 'read-only', 'cannot be written', true],
  ['SQLITE_FULL', 'disk-full', 'the disk, or the size cap of the database, is full', false],
  ['SQLITE_CANTOPEN', 'io', 'cannot be opened', true],
  ['SQLITE_IOERR', 'io', 'input/output error', true],
];

const SYSTEM: ReadonlyArray<readonly [string, StoreErrorCode, string]> = [
  ['EACCES', 'read-only', 'cannot be created (permission denied)'],
  ['EPERM', 'read-only', 'cannot be created (operation not permitted)'],
  ['EROFS', 'read-only', 'cannot be created (read-only file system)'],
  ['ENOSPC', 'disk-full', 'cannot be created (no space left on the device)'],
  ['ENOENT', 'io', 'cannot be created (its directory does not exist)'],
  ['EISDIR', 'io', 'is a directory'],
];

export function classify(error: unknown): Classified {
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  for (const [prefix, storeCode, problem, detailed] of PRIMARY)
    if (code.startsWith(prefix))
      return { code: storeCode, problem: detailed ? `${problem} (${code}: ${detail})` : problem };
  for (const [name, storeCode, problem] of SYSTEM) if (code === name) return { code: storeCode, problem };
  return { code: 'io', problem: detail };
}

/** The StoreError to throw for `error` met while working on the database at `path`. */
export function storeErrorFor(path: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const { code, problem } = classify(error);
  return new StoreError(code, path, problem);
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}
