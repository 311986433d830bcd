/**
 * The accounts file (`udpchat relay --accounts FILE`, written by `udpchat account`): JSON, version 1.
 *
 *   { "version": 1, "accounts": [ { "nick": "alice", "serverOperator": false,
 *     "credential": { "algorithm": "scrypt", "salt": "<base64>", "hash": "<base64>", "N": 16384, "r": 8, "p": 1 } } ] }
 *
 * Only scrypt hashes are stored, never a secret. Every entry is validated when the file is read, so a bad
 * file stops the relay at start-up with the file's name and the problem, not at the first login.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { checkNick } from '../protocol/nick.ts';
import { escapeForDisplay } from '../protocol/trace-format.ts';
import type { AccountDirectory, AccountRecord, StoredCredential } from '../relay/accounts.ts';

export const ACCOUNT_FILE_VERSION = 1;

/** Bounds on the stored scrypt parameters: a hand-edited file must not make each login cost a gigabyte. */
const MIN_N = 1_024;
const MAX_N = 1_048_576;
const MAX_R = 32;
const MAX_P = 16;
const MAX_SCRYPT_BYTES = 256 * 1024 * 1024;
const MIN_SALT_BYTES = 16;
const MIN_HASH_BYTES = 16;
const MAX_HASH_BYTES = 64;

const FILE_KEYS = ['version', 'accounts'];
const ENTRY_KEYS = ['nick', 'serverOperator', 'credential'];
const CREDENTIAL_KEYS = ['algorithm', 'salt', 'hash', 'N', 'r', 'p'];

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** An unreadable or invalid accounts file; the message names the file and says what is wrong. */
export class AccountFileError extends Error {
  override readonly name = 'AccountFileError';

  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`accounts file ${path}: ${problem}`);
  }
}

/** A problem found while validating, with where it is (`accounts[2].credential.N`). */
class InvalidEntry extends Error {}

/** The registered accounts, looked up by a nickname's look-alike key, as the relay core asks. */
export class AccountTable implements AccountDirectory {
  private readonly byKey = new Map<string, AccountRecord>();

  constructor(records: readonly AccountRecord[]) {
    for (const record of records) this.byKey.set(record.key, record);
  }

  get size(): number {
    return this.byKey.size;
  }

  find(nickKey: string): AccountRecord | undefined {
    return this.byKey.get(nickKey);
  }
}

/** Validates the text of an accounts file; throws `InvalidEntry` naming the first problem found. */
export function parseAccounts(text: string): AccountRecord[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidEntry(`not valid JSON (${escapeForDisplay(systemMessage(error))})`);
  }
  const file = asObject(json, 'the top level', FILE_KEYS);
  if (file.version !== ACCOUNT_FILE_VERSION)
    throw new InvalidEntry(`"version" must be ${ACCOUNT_FILE_VERSION}, got ${describe(file.version)}`);
  if (!Array.isArray(file.accounts)) throw new InvalidEntry('"accounts" must be an array');
  const records = file.accounts.map((entry: unknown, i: number) => parseEntry(entry, `accounts[${i}]`));
  refuseDuplicates(records);
  return records;
}

/** The text `parseAccounts` reads back: stable key order, one entry per line for readable diffs. */
export function formatAccounts(records: readonly AccountRecord[]): string {
  const entries = records.map((record) =>
    JSON.stringify({
      nick: record.nick,
      serverOperator: record.serverOperator,
      credential: record.credential,
    }),
  );
  const body = entries.length === 0 ? '' : `\n    ${entries.join(',\n    ')}\n  `;
  return `{\n  "version": ${ACCOUNT_FILE_VERSION},\n  "accounts": [${body}]\n}\n`;
}

/** Reads and validates the file. A missing file is an error unless `missingIsEmpty` (for `account add`). */
export async function readAccountFile(path: string, missingIsEmpty = false): Promise<AccountRecord[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (missingIsEmpty && errorCode(error) === 'ENOENT') return [];
    throw new AccountFileError(path, `cannot be read (${systemMessage(error)})`);
  }
  try {
    return parseAccounts(text);
  } catch (error) {
    if (error instanceof InvalidEntry) throw new AccountFileError(path, error.message);
    throw error;
  }
}

/** What `udpchat relay --accounts FILE` hands the core. */
export async function loadAccountDirectory(path: string): Promise<AccountTable> {
  return new AccountTable(await readAccountFile(path));
}

/**
 * Replaces the file atomically: a temporary file in the same directory (so the rename cannot cross file
 * systems), created with mode 0600 because it holds hashes, flushed to disk, then renamed over the old
 * one. A reader sees the old file or the new one, never half of either.
 */
export async function writeAccountFile(path: string, records: readonly AccountRecord[]): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(formatAccounts(records), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new AccountFileError(path, `cannot be written (${systemMessage(error)})`);
  }
}

function parseEntry(value: unknown, where: string): AccountRecord {
  const entry = asObject(value, where, ENTRY_KEYS);
  if (typeof entry.nick !== 'string') throw new InvalidEntry(`${where}.nick must be a string`);
  const check = checkNick(entry.nick);
  if (!check.ok) throw new InvalidEntry(`${where}.nick ${quote(entry.nick)} ${check.reason}`);
  if (typeof entry.serverOperator !== 'boolean')
    throw new InvalidEntry(`${where}.serverOperator must be true or false`);
  return {
    nick: check.nick,
    key: check.key,
    serverOperator: entry.serverOperator,
    credential: parseCredential(entry.credential, `${where}.credential`),
  };
}

function parseCredential(value: unknown, where: string): StoredCredential {
  const credential = asObject(value, where, CREDENTIAL_KEYS);
  if (credential.algorithm !== 'scrypt')
    throw new InvalidEntry(`${where}.algorithm must be "scrypt", got ${describe(credential.algorithm)}`);
  const salt = base64Field(credential.salt, `${where}.salt`, MIN_SALT_BYTES, Number.POSITIVE_INFINITY);
  const hash = base64Field(credential.hash, `${where}.hash`, MIN_HASH_BYTES, MAX_HASH_BYTES);
  const N = integerField(credential.N, `${where}.N`, MIN_N, MAX_N);
  if ((N & (N - 1)) !== 0) throw new InvalidEntry(`${where}.N must be a power of two, got ${N}`);
  const r = integerField(credential.r, `${where}.r`, 1, MAX_R);
  const p = integerField(credential.p, `${where}.p`, 1, MAX_P);
  if (128 * N * r * p > MAX_SCRYPT_BYTES)
    throw new InvalidEntry(`${where}: N * r * p is too costly (at most ${MAX_SCRYPT_BYTES / 128})`);
  return { algorithm: 'scrypt', salt, hash, N, r, p };
}

/** A JSON object with only the expected keys: a misspelt key is reported rather than silently ignored. */
function asObject(value: unknown, where: string, keys: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidEntry(`${where} must be an object`);
  const record = value as Record<string, unknown>;
  const stray = Object.keys(record).find((key) => !keys.includes(key));
  if (stray !== undefined) throw new InvalidEntry(`${where} has an unknown key ${quote(stray)}`);
  return record;
}

function base64Field(value: unknown, where: string, minBytes: number, maxBytes: number): string {
  if (typeof value !== 'string' || !BASE64.test(value)) throw new InvalidEntry(`${where} must be base64`);
  const bytes = Buffer.from(value, 'base64').length;
  if (bytes < minBytes || bytes > maxBytes)
    throw new InvalidEntry(`${where} must decode to ${rangeText(minBytes, maxBytes)} bytes, got ${bytes}`);
  return value;
}

function integerField(value: unknown, where: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new InvalidEntry(`${where} must be an integer from ${min} to ${max}, got ${describe(value)}`);
  return value;
}

/** Two entries whose nicks are look-alikes would own the same identity: the file is ambiguous. */
function refuseDuplicates(records: readonly AccountRecord[]): void {
  const seen = new Map<string, string>();
  for (const record of records) {
    const earlier = seen.get(record.key);
    if (earlier !== undefined)
      throw new InvalidEntry(
        `nicks ${quote(earlier)} and ${quote(record.nick)} are the same account (look-alikes)`,
      );
    seen.set(record.key, record.nick);
  }
}

function rangeText(min: number, max: number): string {
  return Number.isFinite(max) ? `${min} to ${max}` : `at least ${min}`;
}

/** A found value for an error message; a string is quoted like `quote`, anything else only named. */
function describe(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (value === undefined) return 'nothing';
  return Array.isArray(value) ? 'an array' : 'an object';
}

/**
 * Text from the file, made inert (escapeForDisplay: a bidi or control character in a hand-edited file
 * must not act on the terminal) and cut short so that a huge field cannot flood it.
 */
function quote(text: string): string {
  const shown = escapeForDisplay(text);
  return `"${shown.length > 40 ? `${shown.slice(0, 40)}...` : shown}"`;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/** `ENOENT: no such file or directory, open 'x'` -> `ENOENT: no such file or directory`: the path is already said. */
function systemMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (errorCode(error) === undefined) return message;
  return /^([A-Z0-9]+: [^,]+),/.exec(message)?.[1] ?? message;
}
