/** `chat --room-key` and `--room-key-file`: parsing, the owner-only key file, and a passphrase never echoed. */
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chatCommand } from '../../src/cli/chat-command.ts';
import { parseCommandLine } from '../../src/cli/flag-parser.ts';
import { repeatableFlag, valueFlag } from '../../src/cli/flag-table.ts';
import { ROOM_KEY_FLAGS, readRoomKeyFile, roomKeysFromFlags } from '../../src/cli/room-key-flags.ts';
import { UsageError } from '../../src/cli/usage-error.ts';
import { port, text } from '../../src/cli/values.ts';
import { deriveRoomKey } from '../../src/protocol/room-key.ts';

const SPEC = { name: 'chat', flags: ROOM_KEY_FLAGS };

function refusal(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof UsageError);
    return error;
  }
  assert.fail('accepted');
}

async function refusalOf(run: () => Promise<unknown>): Promise<UsageError> {
  try {
    await run();
  } catch (error) {
    assert.ok(error instanceof UsageError);
    return error;
  }
  assert.fail('accepted');
}

describe('--room-key', () => {
  test('is repeatable: every room, in the order typed, the passphrase taken as /key takes it', () => {
    const { flags } = parseCommandLine(SPEC, ['--room-key', '#rust=first pass', '--room-key=#ops=  a=b  ']);
    assert.deepEqual(flags['room-key'], [
      { room: '#rust', passphrase: 'first pass' },
      { room: '#ops', passphrase: 'a=b' },
    ]);
    assert.deepEqual(parseCommandLine(SPEC, []).flags['room-key'], []);
  });

  test('a flag that is not repeatable still keeps only its last value', () => {
    const spec = {
      name: 'demo',
      flags: { port: valueFlag(port(), 'p', { default: 1 }), tag: repeatableFlag(text('T'), 't') },
    };
    const { flags } = parseCommandLine(spec, ['--port', '2', '--tag', 'a', '--port', '3', '--tag', 'b']);
    assert.equal(flags.port, 3);
    assert.deepEqual(flags.tag, ['a', 'b']);
  });

  test('a bad value is refused without quoting it: it holds a passphrase', () => {
    for (const [value, reason] of [
      ['rust=hunter2-secret', /--room-key has a room name that must start with # \(value not shown\)/],
      ['#rust hunter2-secret', /--room-key must be #room=PASSPHRASE \(value not shown\)/],
      ['#rust=   ', /--room-key has an empty passphrase for #rust/],
      ['#ru st=hunter2-secret', /contains whitespace/],
    ] as const) {
      const error = refusal(() => parseCommandLine(SPEC, ['--room-key', value]));
      assert.match(error.message, reason);
      assert.equal(error.message.includes('hunter2'), false);
    }
  });

  test("the chat command's help lists both flags, --room-key as repeatable", () => {
    const help = chatCommand.help();
    assert.match(help, /--room-key #ROOM=PASSPHRASE\s+encrypt #ROOM end to end[\s\S]*\(repeatable\)/);
    assert.match(help, /--room-key-file FILE/);
  });
});

describe('--room-key-file', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'udpchat-room-keys-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function keyFile(name: string, content: string, mode: number): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, content);
    await chmod(path, mode);
    return path;
  }

  test('reads #room=PASSPHRASE lines from a file only its owner can read', async () => {
    const path = await keyFile('keys', '#rust=one two\r\n\n#Ops=three\n', 0o600);
    assert.deepEqual(await readRoomKeyFile(path), [
      { room: '#rust', passphrase: 'one two' },
      { room: '#Ops', passphrase: 'three' },
    ]);
  });

  test('refuses a file its group or others can read, with the command that fixes it', async () => {
    const path = await keyFile('open', '#rust=one\n', 0o644);
    const error = await refusalOf(() => readRoomKeyFile(path));
    assert.match(error.message, /can be read by others \(mode 644\): chmod 600 /);
  });

  test('names the bad line without quoting it, and refuses an empty or missing file', async () => {
    const bad = await keyFile('bad', '#rust=one\nhunter2-secret\n', 0o600);
    const error = await refusalOf(() => readRoomKeyFile(bad));
    assert.match(error.message, /line 2 must be #room=PASSPHRASE/);
    assert.equal(error.message.includes('hunter2'), false);
    const empty = await keyFile('empty', '\n\n', 0o600);
    assert.match((await refusalOf(() => readRoomKeyFile(empty))).message, /has no #room=PASSPHRASE line/);
    const missing = await refusalOf(() => readRoomKeyFile(join(dir, 'absent')));
    assert.match(missing.message, /cannot be read \(ENOENT\)/);
  });

  test("derives each room's key, the command line's first, the same key /key derives", async () => {
    const path = await keyFile('derive', '#ops=from the file\n', 0o600);
    const keys = await roomKeysFromFlags({
      'room-key': [{ room: '#rust', passphrase: 'on the line' }],
      'room-key-file': path,
    });
    assert.deepEqual(
      keys.map((k) => k.room),
      ['#rust', '#ops'],
    );
    const expected = await deriveRoomKey('from the file', '#ops');
    assert.deepEqual(keys[1]?.key.keyId, expected.keyId);
  });
});
