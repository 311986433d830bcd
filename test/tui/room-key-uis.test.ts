/**
 * `/key` in the line filter and the prompt UI (docs/PROTOCOL-v2.md 13.1), through their public surface:
 * real ChatClients over UDP to a real relay on 127.0.0.1, each UI fed by a stream as stdin. What is
 * checked is what a user sees: members read each other, others are told once what is going on, and the
 * passphrase appears in no output, no history and nothing the relay received.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, type TestContext, test } from 'node:test';
import { ChatClient } from '../../src/client-host/chat-client.ts';
import { formatTrace } from '../../src/protocol/trace-format.ts';
import { RelayServer } from '../../src/relay-host/relay-server.ts';
import { runLineUi } from '../../src/tui/line-ui.ts';
import { runPipeUi } from '../../src/tui/pipe-ui.ts';
import { noKeyHint, wrongPassphrase } from '../../src/tui/room-keys.ts';
import { Collector } from '../e2e/support/collector.ts';

const PASSPHRASE = 'correct horse battery staple';
const WRONG = 'incorrect mule';

/** The lines written to a stream, as they come. */
function linesOf(stream: PassThrough, name: string): Collector<string> {
  const lines = new Collector<string>(name);
  let partial = '';
  stream.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) lines.push(line);
  });
  return lines;
}

interface Relay {
  readonly port: number;
  /** Every datagram the relay received or sent, as --trace prints it. */
  readonly trace: string[];
}

async function relay(t: TestContext): Promise<Relay> {
  const trace: string[] = [];
  const server = await RelayServer.start({
    host: '127.0.0.1',
    port: 0,
    trace: (direction, peer, bytes) => trace.push(formatTrace(direction, peer, bytes)),
  });
  t.after(() => server.stop());
  return { port: server.address.port, trace };
}

interface Filter {
  readonly stdin: PassThrough;
  readonly stdout: Collector<string>;
  readonly stderr: Collector<string>;
  readonly done: Promise<number>;
}

/** `udpchat chat nick` with stdin a pipe: the line filter, on a real client. */
async function filter(t: TestContext, port: number, nick: string): Promise<Filter> {
  const client = await ChatClient.connect({ nick, host: '127.0.0.1', port });
  const stdin = new PassThrough();
  const output = new PassThrough();
  const errors = new PassThrough();
  const stdout = linesOf(output, `${nick} stdout`);
  const stderr = linesOf(errors, `${nick} stderr`);
  const done = runPipeUi(client, { input: stdin, output, errors, relayLabel: `127.0.0.1:${port}` });
  t.after(async () => {
    stdin.end();
    await done;
    await client.close();
  });
  await stdout.waitFor((line) => line.startsWith('*** welcome'), { what: 'welcome' });
  return { stdin, stdout, stderr, done };
}

function joined(member: Filter, room: string): Promise<string> {
  return member.stdout.waitFor((line) => line.includes(`*** you joined ${room};`), { what: 'join' });
}

function everything(...members: Filter[]): string {
  return members.flatMap((m) => [...m.stdout.items, ...m.stderr.items]).join('\n');
}

describe('/key in the line filter', () => {
  test('lines piped right after /key are sealed, members read them, the passphrase goes nowhere', async (t) => {
    const server = await relay(t);
    const alice = await filter(t, server.port, 'alice');
    const bob = await filter(t, server.port, 'bob');
    const carol = await filter(t, server.port, 'carol');
    // Bob keys and joins; Carol joins without a key.
    bob.stdin.write(`/key #vault ${PASSPHRASE}\n/join #vault\n`);
    carol.stdin.write('/join #vault\n');
    await Promise.all([joined(bob, '#vault'), joined(carol, '#vault')]);
    // Alice's whole script in one write: the line after /join must wait for the key, never go in clear.
    alice.stdin.write(`/key #vault ${PASSPHRASE}\n/join #vault\nquokka-sunrise\n/me waves-marmalade\n`);
    await bob.stdout.waitFor((line) => line === '[#vault] [e2e] <alice> quokka-sunrise', { what: 'opened' });
    await bob.stdout.waitFor((line) => line === '[#vault] [e2e] * alice waves-marmalade', { what: 'action' });
    // A sealed /me is a chat line on the wire (its kind is sealed in), so Carol sees two lines she cannot open.
    const unopened = '[#vault] <alice> (encrypted line: you have no key for #vault)';
    await carol.stdout.waitFor(() => carol.stdout.items.filter((line) => line === unopened).length === 2, {
      what: 'two lines she cannot open',
    });
    // Carol is told what to do once, on stderr, however many lines she cannot open.
    assert.deepEqual(
      carol.stderr.items.filter((line) => line.includes('/key #vault')),
      [`udpchat: ${noKeyHint('#vault')}`],
    );
    assert.ok(
      alice.stderr.items.some((line) => /now encrypted end to end \(key id [0-9a-f]{8}\)/.test(line)),
    );
    const seen = [everything(alice, bob, carol), ...server.trace].join('\n');
    for (const secret of [PASSPHRASE, 'correct horse', 'quokka', 'marmalade'])
      assert.equal(server.trace.join('\n').includes(secret), false, `the relay saw ${secret}`);
    assert.equal(seen.includes(PASSPHRASE), false, 'the passphrase was printed or sent');
  });

  test('a wrong passphrase is reported once, not per line; /key #room alone goes back to clear', async (t) => {
    const server = await relay(t);
    const alice = await filter(t, server.port, 'alice');
    const dave = await filter(t, server.port, 'dave');
    alice.stdin.write(`/key #vault ${PASSPHRASE}\n/join #vault\n`);
    dave.stdin.write(`/key #vault ${WRONG}\n/join #vault\n`);
    await Promise.all([joined(alice, '#vault'), joined(dave, '#vault')]);
    alice.stdin.write('first\nsecond\nthird\n');
    const other = '[#vault] <alice> (encrypted with another passphrase than yours for #vault)';
    await dave.stdout.waitFor(
      (line) => line === other && dave.stdout.items.filter((l) => l === other).length === 3,
      {
        what: 'three lines it cannot open',
      },
    );
    assert.deepEqual(
      dave.stderr.items.filter((line) => line.includes('passphrase?')),
      [`udpchat: ${wrongPassphrase('#vault')}`],
    );
    alice.stdin.write('/key #vault\nin the clear now\n');
    await dave.stdout.waitFor((line) => line === '[#vault] <alice> in the clear now', {
      what: 'a clear line',
    });
    assert.ok(
      alice.stderr.items.includes('udpchat: forgot the key for #vault: your lines there go in clear again'),
    );
    assert.equal(everything(alice, dave).includes(WRONG), false);
  });

  test('a /key line without a room gets the usage, and is not sent', async (t) => {
    const server = await relay(t);
    const alice = await filter(t, server.port, 'alice');
    alice.stdin.write('/key secret-words\n');
    await alice.stderr.waitFor((line) => line.startsWith('udpchat: usage: /key #room'), { what: 'usage' });
    assert.equal(server.trace.join('\n').includes('secret-words'), false);
  });
});

/** A PassThrough that says it is a terminal: readline then echoes, keeps a history and redraws. */
function terminalOutput(): PassThrough & { isTTY: true; columns: number; rows: number } {
  return Object.assign(new PassThrough(), { isTTY: true as const, columns: 80, rows: 24 });
}

describe('/key in the prompt UI', () => {
  test('the typed /key line is erased from the terminal and Up never brings it back', async (t) => {
    const server = await relay(t);
    const bob = await filter(t, server.port, 'bob');
    const client = await ChatClient.connect({ nick: 'alice', host: '127.0.0.1', port: server.port });
    const input = new PassThrough();
    const output = terminalOutput();
    // Everything written to the terminal, as one growing text (an item per write).
    const writes = new Collector<string>('terminal');
    let written = '';
    output.on('data', (chunk: Buffer) => {
      written += chunk.toString('utf8');
      writes.push(written);
    });
    const done = runLineUi(client, { input, output, relayLabel: 'relay' });
    t.after(async () => {
      input.end();
      await done;
      await client.close();
    });
    await bob.stdout.waitFor((line) => line === '*** alice joined ***', { what: 'alice' });
    input.write('hello bob\r');
    await bob.stdout.waitFor((line) => line === '<alice> hello bob', { what: 'first line' });
    input.write(`/key #vault ${PASSPHRASE}\r`);
    const afterEcho = (): string => written.slice(written.lastIndexOf(PASSPHRASE) + PASSPHRASE.length);
    // readline moves below the typed row; the UI then moves up onto it and clears to the end of the screen.
    await writes.waitFor(() => afterEcho().includes('now encrypted end to end'), { what: 'the key set' });
    assert.match(afterEcho(), /^\r\n\x1b\[1A\x1b\[1G\x1b\[0J/);
    // Up recalls the line before the /key line; Enter sends it again.
    const before = bob.stdout.items.length;
    input.write('\x1b[A\r');
    await bob.stdout.waitFor((line) => line === '<alice> hello bob', {
      from: before,
      what: 'the recalled line',
    });
    assert.equal(server.trace.join('\n').includes(PASSPHRASE), false);
  });
});
