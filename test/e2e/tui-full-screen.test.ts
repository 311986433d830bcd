/**
 * The full-screen client in a real terminal (tmux) against a real relay process: what a user sees. Keys go
 * in with send-keys, the screen comes back with capture-pane, and every wait is for text on the screen.
 * Run `npm run build` first by hand.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { CLI_ENTRY, CliProcess } from './support/cli-process.ts';
import { ReferenceRelay } from './support/reference-relay.ts';
import { type TmuxPane, TmuxServer, tmuxAvailable } from './support/tmux.ts';

const skip = (await tmuxAvailable()) ? false : 'tmux is not installed';

/** A relay; `identity` keeps its key in that file, so a restarted relay is the one its clients pinned. */
async function startRelay(
  t: TestContext,
  port = 0,
  identity?: string,
): Promise<{ relay: CliProcess; port: number }> {
  const args = ['relay', '--host', '127.0.0.1', '--port', String(port)];
  const relay = CliProcess.cli([...args, ...(identity === undefined ? [] : ['--identity', identity])], {
    name: 'relay',
  });
  t.after(() => relay.stop());
  const line = await relay.waitForLine(/^relay listening on udp\/\d+$/);
  return { relay, port: Number(line.split('/')[1]) };
}

/** A tmux server for the test, and a config directory of its own so no user config interferes. */
async function terminal(t: TestContext): Promise<{ server: TmuxServer; configHome: string }> {
  const server = new TmuxServer();
  const configHome = await mkdtemp(join(tmpdir(), 'udpchat-tui-'));
  t.after(async () => {
    await server.kill();
    await rm(configHome, { recursive: true, force: true });
  });
  return { server, configHome };
}

async function chat(server: TmuxServer, configHome: string, nick: string, port: number): Promise<TmuxPane> {
  const pane = await server.start({
    command: [process.execPath, CLI_ENTRY, 'chat', nick, '127.0.0.1', String(port)],
    env: { XDG_CONFIG_HOME: configHome, TERM: 'xterm-256color' },
    columns: 100,
    rows: 30,
  });
  await pane.waitFor(new RegExp(`\\[${nick}\\] \\[127\\.0\\.0\\.1:${port}\\] .*\\[connected`));
  return pane;
}

/** The status bar is the second row from the bottom. */
function statusBar(rows: readonly string[]): string {
  const filled = rows.filter((row) => row !== '');
  return filled.at(-2) ?? '';
}

describe('the full-screen client in a terminal', { skip }, () => {
  test('two clients chat in a room, switch buffers, complete a nick and see unread counts', async (t) => {
    const { port } = await startRelay(t);
    const { server, configHome } = await terminal(t);
    const alice = await chat(server, configHome, 'alice', port);
    // Protected v2: the relay and its key are shown on first contact (and pinned for this config directory;
    // the line wraps before "contact").
    await alice.waitFor(/relay 127\.0\.0\.1:\d+ identity SHA256:\S{43} \(first/);
    const bob = await chat(server, configHome, 'bob', port);

    await alice.line('/join #rust');
    await alice.waitFor(/you joined #rust; now talking in #rust/);
    await bob.line('/join #rust');
    await alice.waitFor(/-- bob joined/);
    await bob.line('hello from bob in rust');
    await alice.waitFor(/<bob> hello from bob in rust/);
    // Our relay speaks v2: it acknowledges bob's line, whose pending mark (a trailing …) then goes.
    const acked = await bob.waitFor((rows) => rows.some((row) => /<bob> hello from bob in rust$/.test(row)));
    assert.match(statusBar(acked), /\[connected[^\]]*\] \[v2\]/);
    assert.ok(!acked.some((row) => row.includes('not delivered')), acked.join('\n'));

    // Alt-1: back to the lobby; what bob says in #rust now is unread there, and a mention is marked.
    await alice.press('M-1');
    await alice.waitFor((rows) => rows[0]?.startsWith(' #lobby') === true);
    await bob.line('alice: are you there?');
    await alice.waitFor((rows) => /\[Act: 2:#rust\(1!\)\]/.test(statusBar(rows)));
    await bob.line('/msg alice psst');
    await alice.waitFor((rows) => /3:bob\(1!\)/.test(statusBar(rows)));

    // Alt-2: the message is there, below the read marker; Tab completes bob's nick at the start of the line.
    await alice.press('M-2');
    const rust = await alice.waitFor(/<bob> alice: are you there\?/);
    assert.ok(
      rust.some((row) => /^-{20,}$/.test(row)),
      'the read marker line is drawn',
    );
    await alice.type('bo');
    await alice.press('Tab');
    await alice.waitFor((rows) => rows.some((row) => row.startsWith('[#rust] bob:')));
    await alice.line('yes!');
    await bob.waitFor(/<alice> bob: yes!/);

    // Ctrl-N cycles to the private buffer with bob; typing there is a private message.
    await alice.press('C-n');
    await alice.waitFor((rows) => rows[0]?.startsWith(' bob (private)') === true);
    await alice.line('got it');
    await bob.waitFor((rows) => /3:alice\(1!\)/.test(statusBar(rows)));
  });

  test('a client survives a relay restart: it reconnects and rejoins its room', async (t) => {
    const { server, configHome } = await terminal(t);
    // The same identity file across the restart: a relay with a new key would be refused as an impostor.
    const identity = join(configHome, 'relay-identity.pem');
    const first = await startRelay(t, 0, identity);
    const alice = await chat(server, configHome, 'alice', first.port);
    await alice.line('/join #rust');
    await alice.waitFor(/you joined #rust/);

    process.kill(first.relay.pid ?? 0, 'SIGINT');
    assert.equal((await first.relay.waitForExit()).code, 0);
    await alice.waitFor((rows) => /reconnecting/.test(statusBar(rows)));

    const second = await startRelay(t, first.port, identity);
    await alice.waitFor(/reconnected to 127\.0\.0\.1:\d+ as alice; rejoining #rust/, 20_000);
    await alice.waitFor((rows) => /\[connected/.test(statusBar(rows)));

    // The new relay really has alice in #rust: a newcomer there reaches her.
    const bob = await chat(server, configHome, 'bob', second.port);
    await bob.line('/join #rust');
    await bob.waitFor(/members: .*alice/);
    await bob.line('welcome back');
    await alice.waitFor(/<bob> welcome back/);
  });

  test("against the seed's relay (v1) the status bar says v1 and no line is marked pending", async (t) => {
    const relay = await ReferenceRelay.start();
    t.after(() => relay.stop());
    const { server, configHome } = await terminal(t);
    const alice = await chat(server, configHome, 'alice', relay.port);
    await alice.waitFor((rows) => /\[connected[^\]]*\] \[v1\]/.test(statusBar(rows)));
    await alice.line('nothing confirms this');
    await relay.waitForLine('nothing confirms this');
    const rows = await alice.waitFor(/<alice> nothing confirms this$/);
    assert.ok(!rows.some((row) => row.includes('…')), rows.join('\n'));
  });

  test('a pasted three-line snippet is sent as three lines; a longer paste asks first', async (t) => {
    const { port } = await startRelay(t);
    const { server, configHome } = await terminal(t);
    const alice = await chat(server, configHome, 'alice', port);
    const bob = await chat(server, configHome, 'bob', port);
    await alice.paste('for x in xs:\n    print(x)\n/quit is text here');
    const seen = await bob.waitFor(/<alice> \/quit is text here/);
    const lines = seen.filter((row) => /<alice> /.test(row)).map((row) => row.replace(/^.*?<alice> /, ''));
    assert.deepEqual(lines, ['for x in xs:', '    print(x)', '/quit is text here']);

    await alice.paste('one\ntwo\nthree\nfour\nfive');
    await alice.waitFor(/send 5 pasted lines\? Enter: send them, Esc: cancel/);
    await alice.press('Escape');
    await alice.waitFor(/paste of 5 lines not sent/);
    await alice.paste('six\nseven\neight\nnine');
    await alice.waitFor(/send 4 pasted lines\?/);
    await alice.press('Enter');
    await bob.waitFor(/<alice> nine/);
    const after = await bob.capture();
    assert.ok(!after.some((row) => /<alice> (one|five)$/.test(row)), after.join('\n'));
  });

  test('the nick-list pane opens with Alt-N and lists who is in the room', async (t) => {
    const { port } = await startRelay(t);
    const { server, configHome } = await terminal(t);
    const alice = await chat(server, configHome, 'alice', port);
    const bob = await chat(server, configHome, 'bob', port);
    await alice.line('/join #ops');
    await alice.waitFor(/you joined #ops/);
    await bob.line('/join #ops');
    await alice.waitFor(/-- bob joined/);
    await alice.press('M-n');
    const rows = await alice.waitFor((screen) => screen.some((row) => /│2 here\s*$/.test(row)));
    assert.ok(
      rows.some((row) => /│alice\s*$/.test(row)) && rows.some((row) => /│bob\s*$/.test(row)),
      rows.join('\n'),
    );
    await alice.line('/nicks');
    await alice.waitFor((screen) => !screen.some((row) => row.includes('│')));
  });

  test('a relay killed outright turns the status bar red within 3 s (v2: missing acknowledgements)', async (t) => {
    const { relay, port } = await startRelay(t);
    const { server, configHome } = await terminal(t);
    const alice = await chat(server, configHome, 'alice', port);
    await alice.waitFor((rows) => /\[connected[^\]]*\] \[v2\]/.test(statusBar(rows)));
    process.kill(relay.pid ?? 0, 'SIGKILL');
    const killedAt = Date.now();
    // The spec's bound is the wait: the screen must change within 3 s of the kill.
    const rows = await alice.waitFor((screen) => /no answer for \d+ s/.test(statusBar(screen)), 3_000);
    assert.ok(Date.now() - killedAt <= 3_500, 'seen within the bound (plus one capture)');
    const coloured = (await alice.captureWithColours()).split('\n');
    const bar = coloured.find((row) => row.includes('no answer for'));
    assert.ok(bar?.includes('38;5;210'), `the state is drawn in red: ${JSON.stringify(bar)}`);
    assert.match(statusBar(rows), /\[alice\]/);
  });

  test('resizing the terminal re-wraps the lines and keeps the input', async (t) => {
    const { port } = await startRelay(t);
    const { server, configHome } = await terminal(t);
    const alice = await chat(server, configHome, 'alice', port);
    const bob = await chat(server, configHome, 'bob', port);
    await bob.line(`王様 ${'wide words '.repeat(12)}end`);
    await alice.waitFor(/<bob> 王様/);
    await alice.type('half typed');
    await alice.resize(40, 12);
    const rows = await alice.waitFor(
      (screen) => screen.some((row) => row.endsWith('end')) && screen.length <= 13,
    );
    assert.ok(
      rows.every((row) => row.length <= 40),
      rows.join('\n'),
    );
    assert.ok(rows.some((row) => row.startsWith('[#lobby] half typed')));
  });
});
