import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { lookalikeKey } from '../../src/protocol/lookalike.ts';
import type { AccountRecord, StoredCredential } from '../../src/relay/accounts.ts';
import {
  AccountFileError,
  formatAccounts,
  loadAccountDirectory,
  parseAccounts,
  readAccountFile,
  writeAccountFile,
} from '../../src/store/account-file.ts';

const CREDENTIAL: StoredCredential = {
  algorithm: 'scrypt',
  salt: Buffer.alloc(16, 1).toString('base64'),
  hash: Buffer.alloc(32, 2).toString('base64'),
  N: 16384,
  r: 8,
  p: 1,
};

function record(nick: string, serverOperator = false): AccountRecord {
  return { nick, key: lookalikeKey(nick), serverOperator, credential: CREDENTIAL };
}

/** An accounts file whose first entry has `patch` applied (to its credential when `inCredential`). */
function fileWith(patch: Record<string, unknown>, inCredential = false): string {
  const entry: Record<string, unknown> = {
    nick: 'alice',
    serverOperator: false,
    credential: { ...CREDENTIAL },
  };
  if (inCredential) entry.credential = { ...CREDENTIAL, ...patch };
  else Object.assign(entry, patch);
  return JSON.stringify({ version: 1, accounts: [entry] });
}

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'udpchat-accounts-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the accounts file format', () => {
  it('formats version 1 with nick, serverOperator and the scrypt credential, and parses it back', () => {
    const records = [record('alice'), record('bob', true)];
    const text = formatAccounts(records);
    const json = JSON.parse(text) as { version: number; accounts: unknown[] };
    assert.equal(json.version, 1);
    assert.deepEqual(json.accounts[1], { nick: 'bob', serverOperator: true, credential: CREDENTIAL });
    assert.deepEqual(parseAccounts(text), records);
  });

  it('an empty file body round-trips', () => {
    assert.deepEqual(parseAccounts(formatAccounts([])), []);
  });

  it('each record carries the look-alike key of its nick', () => {
    const [parsed] = parseAccounts(fileWith({ nick: 'Alice' }));
    assert.equal(parsed?.key, lookalikeKey('Alice'));
    assert.equal(parsed?.nick, 'Alice', 'the nick is kept as written');
  });
});

describe('a malformed file is refused with what is wrong and where', () => {
  const cases: [string, string, RegExp][] = [
    ['not JSON', '{"version":1,', /not valid JSON/],
    ['an array at the top', '[]', /the top level must be an object/],
    ['another version', '{"version":2,"accounts":[]}', /"version" must be 1, got 2/],
    ['no version', '{"accounts":[]}', /"version" must be 1, got nothing/],
    ['accounts not an array', '{"version":1,"accounts":{}}', /"accounts" must be an array/],
    ['a stray top-level key', '{"version":1,"accounts":[],"extra":1}', /unknown key "extra"/],
    ['an entry that is not an object', '{"version":1,"accounts":[7]}', /accounts\[0\] must be an object/],
    [
      'a misspelt key',
      fileWith({ serveroperator: true }),
      /accounts\[0\] has an unknown key "serveroperator"/,
    ],
    ['a nick that is not a string', fileWith({ nick: 5 }), /accounts\[0\]\.nick must be a string/],
    ['an invalid nick', fileWith({ nick: 'a b' }), /accounts\[0\]\.nick "a b" contains whitespace/],
    ['a nick starting with #', fileWith({ nick: '#x' }), /must not start with/],
    [
      'serverOperator not boolean',
      fileWith({ serverOperator: 'yes' }),
      /serverOperator must be true or false/,
    ],
    ['no credential', fileWith({ credential: undefined }), /accounts\[0\]\.credential must be an object/],
    [
      'another algorithm',
      fileWith({ algorithm: 'md5' }, true),
      /credential\.algorithm must be "scrypt", got "md5"/,
    ],
    ['a salt that is not base64', fileWith({ salt: 'not base64!' }, true), /credential\.salt must be base64/],
    [
      'a short salt',
      fileWith({ salt: 'c2FsdA==' }, true),
      /credential\.salt must decode to at least 16 bytes, got 4/,
    ],
    [
      'a short hash',
      fileWith({ hash: 'aGFzaA==' }, true),
      /credential\.hash must decode to 16 to 64 bytes, got 4/,
    ],
    ['N not a power of two', fileWith({ N: 10000 }, true), /credential\.N must be a power of two, got 10000/],
    [
      'N too small',
      fileWith({ N: 16 }, true),
      /credential\.N must be an integer from 1024 to 1048576, got 16/,
    ],
    ['N a string', fileWith({ N: '16384' }, true), /credential\.N must be an integer .* got "16384"/],
    ['r of 0', fileWith({ r: 0 }, true), /credential\.r must be an integer from 1 to 32, got 0/],
    ['p fractional', fileWith({ p: 1.5 }, true), /credential\.p must be an integer from 1 to 16, got 1.5/],
    ['a ruinous cost', fileWith({ N: 1048576, r: 32, p: 16 }, true), /too costly/],
  ];
  for (const [what, text, expected] of cases) {
    it(what, async () => {
      const path = join(dir, 'bad.json');
      await writeFile(path, text);
      await assert.rejects(readAccountFile(path), (error: unknown) => {
        assert.ok(error instanceof AccountFileError);
        assert.ok(error.message.startsWith(`accounts file ${path}: `), error.message);
        assert.match(error.message, expected);
        return true;
      });
    });
  }

  it('two entries for look-alike nicks are refused: they would be one account', () => {
    const text = formatAccounts([record('alice'), record('ALICE')]);
    assert.throws(() => parseAccounts(text), /nicks "alice" and "ALICE" are the same account/);
  });

  it('a control or bidi character from the file is shown escaped, never raw', () => {
    assert.throws(
      () => parseAccounts(fileWith({ nick: 'a\u202eb\x1b[2J' })),
      (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.ok(!/[\u202e\x1b]/.test(error.message), error.message);
        assert.match(error.message, /\\u\{202e\}/);
        return true;
      },
    );
  });

  it('a missing file is an error naming the file, unless asked to treat it as empty', async () => {
    const path = join(dir, 'missing.json');
    await assert.rejects(readAccountFile(path), {
      name: 'AccountFileError',
      message: `accounts file ${path}: cannot be read (ENOENT: no such file or directory)`,
    });
    assert.deepEqual(await readAccountFile(path, true), []);
  });
});

describe('writing the file', () => {
  it('creates it with mode 0600 and leaves no temporary file behind', async () => {
    const path = join(dir, 'new.json');
    await writeAccountFile(path, [record('alice')]);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await readAccountFile(path), [record('alice')]);
    assert.deepEqual(
      (await readdir(dir)).filter((name) => name.includes('new.json')),
      ['new.json'],
    );
  });

  it('replaces an existing file whole, and a loose mode becomes 0600', async () => {
    const path = join(dir, 'loose.json');
    await writeFile(path, formatAccounts([record('old')]));
    await chmod(path, 0o644);
    await writeAccountFile(path, [record('alice'), record('bob', true)]);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal(await readFile(path, 'utf8'), formatAccounts([record('alice'), record('bob', true)]));
  });

  it('a file that cannot be written is an error naming it, and nothing is left behind', async () => {
    const path = join(dir, 'no-such-dir', 'a.json');
    await assert.rejects(writeAccountFile(path, []), {
      name: 'AccountFileError',
      message: new RegExp(`^accounts file ${path}: cannot be written \\(ENOENT`),
    });
  });
});

describe('loadAccountDirectory', () => {
  it('finds an account by the look-alike key of any variant of its nick', async () => {
    const path = join(dir, 'dir.json');
    await writeAccountFile(path, [record('alice'), record('root', true)]);
    const directory = await loadAccountDirectory(path);
    assert.equal(directory.size, 2);
    for (const variant of ['alice', 'ALICE', 'аlice', 'al1ce']) {
      assert.equal(directory.find(lookalikeKey(variant))?.nick, 'alice', variant);
    }
    assert.equal(directory.find(lookalikeKey('root'))?.serverOperator, true);
    assert.equal(directory.find(lookalikeKey('bob')), undefined);
  });
});
