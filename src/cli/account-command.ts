/**
 * `udpchat account add|remove|list`: manages the accounts file that `udpchat relay --accounts FILE` reads.
 * A secret is typed (never an argument: it would sit in the shell history and in `ps`), hashed with scrypt
 * and only the hash is written. The relay reads the file at start-up, so changes apply at its next start.
 */
import { MAX_SECRET_CHARS } from '../protocol/limits.ts';
import { lookalikeKey } from '../protocol/lookalike.ts';
import { checkNick } from '../protocol/nick.ts';
import { escapeForDisplay } from '../protocol/trace-format.ts';
import type { AccountRecord } from '../relay/accounts.ts';
import { readAccountFile } from '../store/account-file.ts';
import { importAccounts } from '../store/account-import.ts';
import { hashSecret } from '../store/secret-hash.ts';
import { type AccountBook, openAccountBook, openDatabase } from './account-book.ts';
import { commandGroup, defineCommand } from './command.ts';
import type { ParsedCommandLine } from './flag-parser.ts';
import { switchFlag, valueFlag } from './flag-table.ts';
import { UsageError } from './usage-error.ts';
import { text } from './values.ts';

const accountsFile = valueFlag(text('FILE', { empty: false }), "the accounts file (the relay's --accounts)");
const dbFile = valueFlag(text('FILE', { empty: false }), "the relay's database (the relay's --db) instead");
const FILE_FLAGS = { accounts: accountsFile, db: dbFile } as const;
const IMPORT_FLAGS = {
  accounts: valueFlag(text('FILE', { empty: false }), 'the accounts file to import', { required: true }),
  db: valueFlag(text('FILE', { empty: false }), "the relay's database (created if missing)", {
    required: true,
  }),
} as const;
const ADD_FLAGS = {
  accounts: accountsFile,
  db: dbFile,
  'server-operator': switchFlag('make the account a server operator (may /kill; passes invite-only rooms)'),
  force: switchFlag('replace an existing account'),
} as const;

const NICK = { name: 'nick', help: 'the nickname', required: true } as const;

/** More than any secret the relay accepts (MAX_SECRET_CHARS, up to 4 UTF-8 bytes each) plus `\r\n`. */
const MAX_STDIN_LINE_BYTES = 4 * MAX_SECRET_CHARS + 2;

const CTRL_C = '\x03';
const CTRL_D = '\x04';
const CTRL_U = '\x15';
const BACKSPACES: ReadonlySet<string> = new Set(['\x7f', '\b']);

const FILE_NOTE =
  'A running relay reads an accounts file at start: changes apply at its next start. A database is held ' +
  'by the relay running on it: stop the relay first.';

export const accountCommand = commandGroup({
  name: 'account',
  commands: [
    defineCommand({
      name: 'account add',
      summary:
        'Register <nick>: asks for its secret twice with no echo (one line of stdin when stdin is not a ' +
        'terminal) and stores only its scrypt hash; --force replaces an existing account.',
      description: `Registers <nick> in the accounts file (created with mode 0600). The secret is typed, never
        an argument (it would sit in the shell history and in ps): twice with no echo on a terminal, else one
        line of stdin. Only its scrypt hash is stored. Such a nick then joins only with "/join <nick> <secret>".`,
      positionals: [NICK],
      flags: ADD_FLAGS,
      notes: FILE_NOTE,
      run: addAccount,
    }),
    defineCommand({
      name: 'account remove',
      summary: 'Remove the account of <nick> (or of its look-alike).',
      description:
        'Removes the account of <nick>, matched as the relay matches nicks (look-alikes included).',
      positionals: [NICK],
      flags: FILE_FLAGS,
      notes: FILE_NOTE,
      run: removeAccount,
    }),
    defineCommand({
      name: 'account list',
      summary:
        'List the nicks and operator flags of an accounts file. A running relay reads the file at start.',
      description:
        'Lists the accounts, one a line: the nick and, for a server operator, "(server operator)".',
      flags: FILE_FLAGS,
      run: listAccounts,
    }),
    defineCommand({
      name: 'account import',
      summary:
        'Copy the accounts of an accounts file into a database, once: accounts already there are left ' +
        'alone; one that differs stops the import before anything is written.',
      description: `Imports every account of --accounts FILE into the database of --db FILE (the relay's
        --db), so a relay that kept its accounts in a file can move to a database. Running it twice changes
        nothing. An account that exists in the database with another spelling, secret or operator flag is a
        conflict: nothing is imported, and the account is named.`,
      flags: IMPORT_FLAGS,
      run: importAccountFile,
    }),
  ],
});

async function addAccount({ flags, args }: ParsedCommandLine<typeof ADD_FLAGS>): Promise<number> {
  const check = checkNick(args.nick ?? '');
  if (!check.ok) throw new UsageError('bad-value', `invalid nickname: ${check.reason}`);
  const book = await openAccountBook(flags, true);
  return withBook(book, async () => {
    // Refused before the prompt, so nobody types a secret only to be told the account exists.
    const existing = book.list().find((record) => record.key === check.key);
    if (existing !== undefined && !flags.force)
      throw new Error(`${describeClash(existing, check.nick)} already has an account (--force replaces it)`);
    const record: AccountRecord = {
      nick: check.nick,
      key: check.key,
      serverOperator: flags['server-operator'],
      credential: await hashSecret(await promptSecret(check.nick)),
    };
    book.put(record);
    await book.save();
    const done =
      existing !== undefined
        ? `replaced account ${describe(record)} in`
        : `added account ${describe(record)} to`;
    process.stdout.write(`${done} ${book.where}\n`);
  });
}

async function removeAccount({ flags, args }: ParsedCommandLine<typeof FILE_FLAGS>): Promise<number> {
  const nick = args.nick ?? '';
  const book = await openAccountBook(flags, false);
  return withBook(book, async () => {
    // By look-alike key, as the relay matches: `remove Alice` removes the account that owns "alice".
    const key = lookalikeKey(nick);
    const removed = book.list().find((record) => record.key === key);
    if (removed === undefined) throw new Error(`no account "${escapeForDisplay(nick)}" in ${book.where}`);
    book.remove(removed);
    await book.save();
    process.stdout.write(`removed account ${removed.nick} from ${book.where}\n`);
  });
}

/** Nicks and the operator flag, one account a line; hashes are never shown. */
async function listAccounts({ flags }: ParsedCommandLine<typeof FILE_FLAGS>): Promise<number> {
  const book = await openAccountBook(flags, false);
  return withBook(book, async () => {
    for (const record of book.list()) process.stdout.write(`${describe(record)}\n`);
    await book.discard();
  });
}

async function importAccountFile({ flags }: ParsedCommandLine<typeof IMPORT_FLAGS>): Promise<number> {
  const records = await readAccountFile(flags.accounts);
  const store = await openDatabase(flags.db);
  try {
    const result = importAccounts(store, records);
    await store.close();
    process.stdout.write(
      `imported ${accountCount(result.added.length)} from ${flags.accounts} into ${flags.db} (${result.unchanged.length} already there)\n`,
    );
    return 0;
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
}

/** Runs `work` on an open book; on failure the book is released unwritten and the error goes on. */
async function withBook(book: AccountBook, work: () => Promise<void>): Promise<number> {
  try {
    await work();
    return 0;
  } catch (error) {
    await book.discard().catch(() => {});
    throw error;
  }
}

function describe(record: AccountRecord): string {
  return record.serverOperator ? `${record.nick} (server operator)` : record.nick;
}

function describeClash(existing: AccountRecord | undefined, nick: string): string {
  if (existing === undefined || existing.nick === nick) return nick;
  return `${nick} (a look-alike of ${existing.nick})`;
}

// --- reading the secret ---

/** On a terminal: typed twice with no echo. Otherwise one line of stdin, so scripts and tests can drive it. */
async function promptSecret(nick: string): Promise<string> {
  const secret = process.stdin.isTTY ? await promptTwice(nick) : await readStdinLine();
  const problem = secretProblem(secret);
  if (problem !== null) throw new Error(`secret refused: ${problem}`);
  return secret;
}

/**
 * The relay reads the secret as the rest of the `/join` line, trimmed (join.ts), so a secret with blanks at
 * either end or a control character could never be sent as written: refuse it here rather than store it.
 */
function secretProblem(secret: string): string | null {
  if (secret.length === 0) return 'it is empty';
  if ([...secret].length > MAX_SECRET_CHARS) return `it is longer than ${MAX_SECRET_CHARS} characters`;
  if (secret.trim() !== secret) return 'it starts or ends with a blank';
  if (/\p{Cc}/u.test(secret)) return 'it contains a control character';
  return null;
}

async function promptTwice(nick: string): Promise<string> {
  const typeahead: Typeahead = { keys: '' };
  const first = await readHidden(`secret for ${nick}: `, typeahead);
  const second = await readHidden('again, to confirm: ', typeahead);
  if (first !== second) throw new Error('the two secrets differ; nothing was written');
  return first;
}

/** The first line of a piped stdin, without its `\n` or `\r\n`. */
async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const bytes = chunk as Buffer;
    chunks.push(bytes);
    size += bytes.length;
    if (bytes.includes(0x0a) || size > MAX_STDIN_LINE_BYTES) break;
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const newline = text.indexOf('\n');
  if (newline < 0 && size === 0) throw new Error('no secret on stdin');
  const line = newline < 0 ? text : text.slice(0, newline);
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Keys that arrived after an Enter in the same read (both secrets pasted at once) wait for the next prompt. */
interface Typeahead {
  keys: string;
}

type KeyOutcome =
  | { readonly state: 'typing'; readonly secret: string }
  | { readonly state: 'entered'; readonly secret: string; readonly rest: string }
  | { readonly state: 'cancelled' };

/** One prompt in raw mode: nothing is echoed, Enter ends it, Ctrl-C (or Ctrl-D on an empty line) cancels. */
function readHidden(prompt: string, typeahead: Typeahead): Promise<string> {
  const input = process.stdin;
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let secret = '';
    const onData = (chunk: string): void => {
      const outcome = applyKeys(secret, chunk);
      if (outcome.state === 'typing') {
        secret = outcome.secret;
        return;
      }
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      if (outcome.state === 'cancelled') reject(new Error('cancelled; nothing was written'));
      else {
        typeahead.keys = outcome.rest;
        resolve(outcome.secret);
      }
    };
    input.on('data', onData);
    input.resume();
    const pending = typeahead.keys;
    typeahead.keys = '';
    if (pending !== '') onData(pending);
  });
}

/** The line editing a hidden prompt offers: backspace and Ctrl-U, as a terminal's cooked mode would. */
function applyKeys(typed: string, chunk: string): KeyOutcome {
  let secret = typed;
  const keys = [...chunk];
  for (const [i, key] of keys.entries()) {
    if (key === '\r' || key === '\n') return { state: 'entered', secret, rest: keys.slice(i + 1).join('') };
    if (key === CTRL_C || (key === CTRL_D && secret === '')) return { state: 'cancelled' };
    if (BACKSPACES.has(key)) secret = [...secret].slice(0, -1).join('');
    else if (key === CTRL_U) secret = '';
    else if (key !== CTRL_D) secret += key;
  }
  return { state: 'typing', secret };
}

function accountCount(count: number): string {
  return count === 1 ? '1 account' : `${count} accounts`;
}
