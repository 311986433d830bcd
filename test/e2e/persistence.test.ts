/**
 * `udpchat relay --db FILE` with real processes and real SQLite files: a relay killed with SIGKILL under
 * steady v2 traffic comes back with the same accounts, rooms (topic, operators, bans) and history, and
 * every line it acknowledged is in the file and in what a rejoining client is given; files it cannot use
 * (a second relay on one file, a corrupt one, a read-only one) stop it with one clear line.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { after, describe, type TestContext, test } from 'node:test';
import { lookalikeKey } from '../../src/protocol/lookalike.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { TempDir } from '../store/support/temp-dir.ts';
import { CLI_ENTRY, CliProcess, REPO_ROOT } from './support/cli-process.ts';
import { UdpPeer } from './support/udp-peer.ts';
import { v2Client } from './support/v2-client.ts';

const dir = new TempDir('e2e-persistence');
after(() => dir.remove());

/** Clients that come back by themselves when the relay restarts. */
const RECONNECTING = { session: { reconnect: { baseMs: 200, maxMs: 1_000 } } } as const;

/** `nobody`: root may write any file, so the read-only case runs the relay unprivileged. */
const UNPRIVILEGED = 65_534;

async function relayOn(t: TestContext, db: string, port = 0): Promise<{ process: CliProcess; port: number }> {
  const relay = CliProcess.cli(
    // The default idle timeout (30 s): the restarted relay keeps its v2 reset key in the file, so its
    // REJECT 4 to a session it no longer has is believed and the client comes back at once, well before a
    // whole idle timeout of silence would have told it.
    ['relay', '--host', '127.0.0.1', '--port', String(port), '--db', db, '--line-rate', '0'],
    {
      name: 'relay',
    },
  );
  t.after(() => relay.stop());
  const line = await relay.waitForLine(/^relay listening on udp\/\d+$/, { timeoutMs: 10_000 });
  return { process: relay, port: Number(line.split('/')[1]) };
}

async function seedPeer(t: TestContext, port: number, nick: string, host: string): Promise<UdpPeer> {
  const peer = await UdpPeer.connect(port, host);
  t.after(() => peer.close());
  peer.send(`/join ${nick}\n`);
  await peer.expect(`*** welcome, ${nick} ***\n`);
  return peer;
}

/** Every history line `peer` is sent for `/history #den` and its pages back, oldest first. */
async function wholeHistory(peer: UdpPeer, room: string): Promise<string[]> {
  const pages: string[][] = [];
  const endPrefix = `[history ${room} end]`;
  let ask = `/history ${room} 200`;
  for (let page = 0; page < 20; page++) {
    const from = peer.lines.items.length;
    peer.send(`${ask}\n`);
    // The answer to this request: an end marker that arrived after it was sent.
    const end = await peer.lines.waitFor(
      (line) => line.startsWith(endPrefix) && peer.lines.items.lastIndexOf(line) >= from,
      { what: 'the end of the history', timeoutMs: 5_000 },
    );
    const lines = peer.lines.items.slice(from).filter((line) => /^\[history \S+ \S+ #\d+\] /.test(line));
    pages.unshift(lines);
    const older = /older: (\/history \S+ before \d+)/.exec(end);
    if (older === null) break;
    ask = `${older[1]} 200`;
  }
  return pages.flat();
}

function runCli(args: readonly string[], input = '', uid?: number) {
  const result = spawnSync(process.execPath, [CLI_ENTRY, ...args], {
    cwd: REPO_ROOT,
    input,
    encoding: 'utf8',
    timeout: 30_000,
    ...(uid === undefined ? {} : { uid, gid: uid }),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('relay --db, end to end', () => {
  test('kill -9 under steady v2 traffic: the restarted relay has the same rooms and every acknowledged line', async (t) => {
    const db = dir.file('relay');
    assert.equal(
      runCli(['account', 'add', 'root', '--db', db, '--server-operator'], 'rootsecret\n').status,
      0,
    );
    const first = await relayOn(t, db);
    const alice = await v2Client(t, first.port, 'alice', RECONNECTING);
    const bob = await v2Client(t, first.port, 'bob', RECONNECTING);
    alice.client.joinRoom('#den');
    await alice.events.waitFor((e) => e.type === 'notice' && /you joined #den/.test(e.text));
    bob.client.joinRoom('#den');
    alice.client.topic('#den', 'plans for friday');
    await seedPeer(t, first.port, 'mallory', '127.0.0.2');
    alice.client.ban('#den', 'mallory');
    await alice.events.waitFor((e) => e.type === 'notice' && /banned mallory/.test(e.text));

    // Steady traffic, one line every 5 ms, until the relay has acknowledged 60 of them; then SIGKILL.
    const sent = new Map<number, string>();
    const acked = new Set<string>();
    alice.client.on('acked', (e) => {
      const text = sent.get(e.id);
      if (text !== undefined) acked.add(text);
    });
    let counter = 0;
    const traffic = setInterval(() => {
      const text = `steady ${counter++}`;
      const result = alice.client.say(text);
      if (result.ok && result.id !== undefined) sent.set(result.id, text);
    }, 5);
    t.after(() => clearInterval(traffic));
    const deadline = Date.now() + 10_000;
    while (acked.size < 60 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.ok(acked.size >= 60, `only ${acked.size} lines acknowledged`);
    process.kill(first.process.pid as number, 'SIGKILL');
    await first.process.waitForExit();
    clearInterval(traffic);
    const ackedAtKill = [...acked];

    // The same file, the same port: the v2 clients come back by themselves.
    const second = await relayOn(t, db, first.port);
    await alice.events.waitFor((e) => e.type === 'reconnected', { timeoutMs: 15_000 });
    assert.match(
      runCli(['account', 'list', '--db', db]).stderr,
      /in use by another process/,
      'the relay holds the file',
    );

    const carol = await seedPeer(t, second.port, 'carol', '127.0.0.3');
    carol.send('/join #den\n');
    await carol.expect('[#den] *** topic: plans for friday ***\n');
    await alice.events.waitFor((e) => e.type === 'notice' && /carol joined/.test(e.text), {
      timeoutMs: 10_000,
    });
    const members = await carol.lines.waitFor((line) => line.startsWith('[#den] *** members:'));
    assert.match(members, /@alice/, 'alice is the room operator again');
    const mallory2 = await seedPeer(t, second.port, 'mallory', '127.0.0.2');
    mallory2.send('/join #den\n');
    await mallory2.expect('*** you are banned from #den ***\n');

    const history = (await wholeHistory(carol, '#den')).map((line) =>
      line.replace(/^\[history \S+ \S+ #\d+\] /, ''),
    );
    const texts = new Set(history.map((line) => line.trimEnd().replace(/^<alice> /, '')));
    const missing = ackedAtKill.filter((text) => !texts.has(text));
    assert.deepEqual(missing, [], 'every line acknowledged before the kill is in the history');
    const ids = (await wholeHistory(carol, '#den')).map((line) => Number(/#(\d+)\]/.exec(line)?.[1]));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
      'oldest first',
    );
    assert.equal(new Set(ids).size, ids.length, 'no id twice');

    await second.process.stop();
    const store = openSqliteStore({ path: db });
    try {
      const page = await store.roomHistory(lookalikeKey('#den'), { type: 'last', limit: 200 });
      const kept = new Set(page.lines.map((line) => line.text));
      assert.deepEqual(
        ackedAtKill.filter((text) => !kept.has(text)),
        [],
        'and in the file',
      );
      assert.deepEqual(
        store.listAccounts().map((record) => record.nick),
        ['root'],
      );
      assert.equal(store.keptRoom(lookalikeKey('#den'))?.topic, 'plans for friday');
    } finally {
      await store.close();
    }
  });

  test("a v1 client sees exactly the seed's lines: no history unless it asks", async (t) => {
    const db = dir.file('seed');
    const relay = await relayOn(t, db);
    const alice = await seedPeer(t, relay.port, 'alice', '127.0.0.1');
    alice.send('said before bob came\n');
    const bob = await UdpPeer.connect(relay.port, '127.0.0.1');
    t.after(() => bob.close());
    bob.send('/join bob\n');
    await bob.expect('*** welcome, bob ***\n');
    alice.send('hello bob\n');
    await bob.expect('<alice> hello bob\n');
    assert.deepEqual(bob.lines.items, ['*** welcome, bob ***\n', '<alice> hello bob\n']);
  });

  test('a second relay on the same file refuses with one line and exit status 1', async (t) => {
    const db = dir.file('twice');
    await relayOn(t, db);
    const second = runCli(['relay', '--host', '127.0.0.1', '--port', '0', '--db', db]);
    assert.equal(second.status, 1);
    assert.equal(
      second.stderr,
      `udpchat: database ${db}: in use by another process (a second relay on the same file?)\n`,
    );
  });

  test('a corrupt file, and a file the relay may not write, each stop it with one line', () => {
    const corrupt = dir.file('corrupt');
    writeFileSync(corrupt, 'this is not a database, only text that looks nothing like one\n'.repeat(100));
    const refused = runCli(['relay', '--host', '127.0.0.1', '--port', '0', '--db', corrupt]);
    assert.equal(refused.status, 1);
    assert.equal(refused.stderr, `udpchat: database ${corrupt}: not a database, or damaged\n`);

    const readOnly = dir.file('read-only');
    openSqliteStore({ path: readOnly }).close();
    chmodSync(readOnly, 0o444);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chmodSync(dir.path, 0o755);
    const result = runCli(
      ['relay', '--host', '127.0.0.1', '--port', '0', '--db', readOnly],
      '',
      asRoot ? UNPRIVILEGED : undefined,
    );
    assert.equal(result.status, 1, result.stdout);
    assert.equal(result.stderr, `udpchat: database ${readOnly}: cannot be written (permission denied)\n`);
  });
});
