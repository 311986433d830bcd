/**
 * End-to-end passphrase rooms with real processes (docs/PROTOCOL-v2.md 13): a real relay with `--db` and
 * `--trace`, and `udpchat chat` line filters. Two members with the passphrase (one from a key file, one
 * by `/key`) read each other; a third without it sees only that lines were encrypted; a fourth with a
 * wrong passphrase is told so once. Neither the relay's trace and log nor its SQLite files hold any of
 * the random words said, or the passphrase; `/history` gives members their lines back readable.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, type TestContext, test } from 'node:test';
import { lookalikeKey } from '../../src/protocol/lookalike.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { TempDir } from '../store/support/temp-dir.ts';
import { CLI_ENTRY, CliProcess } from './support/cli-process.ts';
import { TmuxServer, tmuxAvailable } from './support/tmux.ts';

const noTmux = (await tmuxAvailable()) ? false : 'tmux is not installed';
const dir = new TempDir('e2e-rooms');
after(() => dir.remove());

const ROOM = '#vault';
const UNOPENED = `(encrypted line: you have no key for ${ROOM})`;
const OTHER_KEY = `(encrypted with another passphrase than yours for ${ROOM})`;

/** A word nobody would say by chance, so finding it anywhere means the plaintext leaked there. */
function token(label: string): string {
  return `${label}-${randomBytes(6).toString('hex')}`;
}

async function relayWithDb(t: TestContext, db: string): Promise<{ process: CliProcess; port: number }> {
  const relay = CliProcess.cli(['relay', '--host', '127.0.0.1', '--port', '0', '--db', db, '--trace'], {
    name: 'relay',
  });
  t.after(() => relay.stop());
  const line = await relay.waitForLine(/^relay listening on udp\/\d+$/, { timeoutMs: 10_000 });
  return { process: relay, port: Number(line.split('/')[1]) };
}

/** `udpchat chat nick 127.0.0.1 PORT ...` with stdin a pipe, welcomed. */
async function member(t: TestContext, port: number, nick: string, extra: readonly string[] = []) {
  const chat = CliProcess.cli(['chat', nick, '127.0.0.1', String(port), ...extra], { name: nick });
  t.after(() => chat.stop());
  await chat.waitForLine(`*** welcome, ${nick} ***`, { timeoutMs: 10_000 });
  return chat;
}

async function joinRoom(chat: CliProcess): Promise<void> {
  chat.writeLine(`/join ${ROOM}`);
  await chat.waitForLine((line) => line.startsWith(`[${ROOM}] *** you joined ${ROOM};`));
}

/** Everything a process wrote, both streams. */
function output(chat: CliProcess): string {
  return [...chat.stdout.items, ...chat.stderr.items].join('\n');
}

function count(chat: CliProcess, line: string): number {
  return chat.stdout.items.filter((item) => item === line).length;
}

describe('end-to-end passphrase rooms, real processes', () => {
  test('members read each other, others only see that lines were encrypted, the relay holds no plaintext', async (t) => {
    const passphrase = `${token('pass')} ${token('phrase')}`;
    const wrong = token('wrong');
    const db = dir.file('e2e');
    const keyFile = dir.file('keys');
    writeFileSync(keyFile, `${ROOM}=${passphrase}\n`);
    chmodSync(keyFile, 0o600);
    const relay = await relayWithDb(t, db);

    // Alice keys the room from a file, Bob with /key, Carol not at all, Dave with the wrong passphrase.
    const alice = await member(t, relay.port, 'alice', ['--room-key-file', keyFile]);
    const bob = await member(t, relay.port, 'bob');
    const carol = await member(t, relay.port, 'carol');
    const dave = await member(t, relay.port, 'dave', ['--room-key', `${ROOM}=${wrong}`]);
    bob.writeLine(`/key ${ROOM} ${passphrase}`);
    await bob.waitForLine(/now encrypted end to end \(key id [0-9a-f]{8}\)/, { stream: 'stderr' });
    for (const chat of [alice, bob, carol, dave]) await joinRoom(chat);
    await alice.waitForLine(`[${ROOM}] *** dave joined ***`);

    const [fromAlice, fromBob, action] = [token('tok'), token('tok'), token('tok')];
    alice.writeLine(`the word is ${fromAlice}`);
    await bob.waitForLine(`[${ROOM}] [e2e] <alice> the word is ${fromAlice}`);
    bob.writeLine(`and mine is ${fromBob}`);
    bob.writeLine(`/me whispers ${action}`);
    await alice.waitForLine(`[${ROOM}] [e2e] <bob> and mine is ${fromBob}`);
    await alice.waitForLine(`[${ROOM}] [e2e] * bob whispers ${action}`);

    // Carol sees three encrypted lines and is told once how to read them; Dave, once, that his is wrong.
    await carol.waitForLine(() => count(carol, `[${ROOM}] <bob> ${UNOPENED}`) === 2, { what: "bob's two" });
    assert.equal(count(carol, `[${ROOM}] <alice> ${UNOPENED}`), 1);
    await dave.waitForLine(() => count(dave, `[${ROOM}] <bob> ${OTHER_KEY}`) === 2, { what: "bob's two" });
    assert.equal(count(dave, `[${ROOM}] <alice> ${OTHER_KEY}`), 1);
    const hints = (chat: CliProcess, pattern: RegExp) =>
      chat.stderr.items.filter((line) => pattern.test(line));
    assert.deepEqual(hints(carol, /encrypted end to end: \/key/), [
      `udpchat: lines in ${ROOM} are encrypted end to end: /key ${ROOM} <passphrase> to read them`,
    ]);
    assert.deepEqual(hints(dave, /passphrase\?/), [
      `udpchat: cannot open lines in ${ROOM}: wrong passphrase?`,
    ]);

    // History from the store: readable for a member, still only "encrypted" for Carol.
    bob.writeLine(`/history ${ROOM}`);
    await bob.waitForLine(
      new RegExp(`^\\[history ${ROOM} \\S+ #\\d+\\] \\[e2e\\] <alice> the word is ${fromAlice}$`),
    );
    await bob.waitForLine(
      new RegExp(`^\\[history ${ROOM} \\S+ #\\d+\\] \\[e2e\\] \\* bob whispers ${action}$`),
    );
    carol.writeLine(`/history ${ROOM}`);
    await carol.waitForLine(
      new RegExp(`^\\[history ${ROOM} \\S+ #\\d+\\] <alice> \\(encrypted line: you have`),
    );

    // The relay traced the sealed lines it routed (so --trace was on and saw them) and no word of them.
    await relay.process.waitForLine((line) => line.includes('[e2e] '), { stream: 'stderr' });
    for (const chat of [alice, bob, carol, dave]) {
      chat.writeLine('/leave');
      await chat.waitForExit(10_000);
    }
    await relay.process.stop();
    const secrets = [fromAlice, fromBob, action, passphrase, wrong, ...passphrase.split(' ')];
    const relayOutput = output(relay.process);
    for (const secret of secrets)
      assert.equal(relayOutput.includes(secret), false, `relay output has ${secret}`);
    for (const chat of [alice, bob, carol, dave])
      for (const secret of [passphrase, wrong]) assert.equal(output(chat).includes(secret), false);
    assert.equal(output(carol).includes(fromAlice) || output(dave).includes(fromBob), false);

    // The SQLite files, byte for byte, and the history the store gives back: ciphertext only.
    for (const file of [db, `${db}-wal`, `${db}-shm`].filter((path) => existsSync(path))) {
      const bytes = readFileSync(file).toString('latin1');
      for (const secret of secrets) assert.equal(bytes.includes(secret), false, `${file} has ${secret}`);
    }
    const store = openSqliteStore({ path: db });
    try {
      const kept = await store.roomHistory(lookalikeKey(ROOM), { type: 'last', limit: 50 });
      assert.equal(kept.lines.length, 3);
      for (const line of kept.lines) assert.match(line.text, /^\[e2e\] [A-Za-z0-9_-]+$/);
    } finally {
      await store.close();
    }
  });

  test('the full-screen client in a terminal: /key leaves no trace on the screen or in Up, and marks the room', {
    skip: noTmux,
  }, async (t) => {
    const passphrase = token('screen-pass');
    const relay = await relayWithDb(t, dir.file('screen'));
    const server = new TmuxServer();
    const configHome = await mkdtemp(join(tmpdir(), 'udpchat-e2e-rooms-'));
    t.after(async () => {
      await server.kill();
      await rm(configHome, { recursive: true, force: true });
    });
    const alice = await server.start({
      command: [process.execPath, CLI_ENTRY, 'chat', 'alice', '127.0.0.1', String(relay.port)],
      env: { XDG_CONFIG_HOME: configHome, TERM: 'xterm-256color' },
      columns: 110,
      rows: 24,
    });
    await alice.waitFor(/\[alice\] .*\[connected/);
    const bob = await member(t, relay.port, 'bob', ['--room-key', `${ROOM}=${passphrase}`]);

    // A mistyped passphrase first: bob's line is shown as one alice cannot open, and she is told once.
    const typo = token('typo');
    await alice.line('before the key');
    await alice.line(`/key ${ROOM} ${typo}`);
    await alice.waitFor(/your lines in #vault are now encrypted end to end/);
    await alice.line(`/join ${ROOM}`);
    await alice.waitFor(
      (rows) => rows[0]?.startsWith(` ${ROOM} [e2e: your lines are encrypted end to end]`) === true,
    );
    await alice.waitFor(new RegExp(`\\[2:${ROOM} e2e\\]`));
    await joinRoom(bob);
    bob.writeLine(`unreadable ${token('tok')}`);
    bob.writeLine(`unreadable ${token('tok')}`);
    const wrong = await alice.waitFor(
      (rows) => rows.filter((row) => row.includes(`<bob> ${OTHER_KEY}`)).length === 2,
    );
    assert.equal(
      wrong.filter((row) => row.includes('cannot open lines in #vault: wrong passphrase?')).length,
      1,
    );

    // The right one: lines sealed from now on open.
    await alice.line(`/key ${ROOM} ${passphrase}`);
    // Its note in #vault's buffer (the first went to the lobby, where alice was): the right key is held.
    const keyed = await alice.waitFor(
      /your lines in #vault are now encrypted end to end \(key id [0-9a-f]{8}\)/,
    );
    for (const secret of [passphrase, typo])
      assert.equal(keyed.join('\n').includes(secret), false, 'no passphrase on the screen');
    const [fromAlice, fromBob] = [token('tok'), token('tok')];
    await alice.line(`screen says ${fromAlice}`);
    await bob.waitForLine(`[${ROOM}] [e2e] <alice> screen says ${fromAlice}`);
    bob.writeLine(`pipe says ${fromBob}`);
    await alice.waitFor(new RegExp(`\\[e2e\\] <bob> pipe says ${fromBob}`));
    await alice.waitFor(new RegExp(`\\[e2e\\] <alice> screen says ${fromAlice}`));

    // Up walks back through what was typed: the /join, then the line before the key, never a /key line.
    await alice.press('Up', 'Up', 'Up');
    const recalled = await alice.waitFor((rows) => inputRow(rows).includes('before the key'));
    assert.equal(recalled.join('\n').includes(passphrase), false);
    // One more Up, then a key typed: the input shows that Up found nothing older to bring back.
    await alice.press('Up');
    await alice.type('!');
    const oldest = await alice.waitFor((rows) => inputRow(rows).includes('before the key!'));
    assert.equal(oldest.join('\n').includes(passphrase), false, 'nothing older than the first line');
    assert.equal(oldest.join('\n').includes(typo), false);
    await relay.process.stop();
    assert.equal(output(relay.process).includes(fromAlice), false);
    assert.equal(output(relay.process).includes(passphrase), false);
  });
});

/** The input line: the last row drawn. */
function inputRow(rows: readonly string[]): string {
  return rows.filter((row) => row !== '').at(-1) ?? '';
}
