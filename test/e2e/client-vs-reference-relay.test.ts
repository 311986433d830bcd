/**
 * The real CLI (`node dist/cli/main.js chat ...`, stdin a pipe, so the line-filter UI) against a relay that
 * behaves like the seed's relay.py. Run `npm run build` first when running this file by hand.
 */
import assert from 'node:assert/strict';
import { describe, type TestContext, test } from 'node:test';
import { CliProcess } from './support/cli-process.ts';
import { type Peer, ReferenceRelay, type ReferenceRelayOptions } from './support/reference-relay.ts';

async function startRelay(t: TestContext, options: ReferenceRelayOptions = {}): Promise<ReferenceRelay> {
  const relay = await ReferenceRelay.start(options);
  t.after(() => relay.stop());
  return relay;
}

function chat(
  t: TestContext,
  relay: ReferenceRelay,
  nick: string,
  extra: readonly string[] = [],
): CliProcess {
  const child = CliProcess.cli(['chat', nick, '127.0.0.1', String(relay.port), ...extra], { name: nick });
  t.after(() => child.stop());
  return child;
}

/** A client that the relay has welcomed, with its address as the relay sees it. */
async function joined(
  t: TestContext,
  relay: ReferenceRelay,
  nick: string,
): Promise<{ child: CliProcess; peer: Peer }> {
  const child = chat(t, relay, nick);
  await child.waitForLine(`*** welcome, ${nick} ***`);
  const peer = relay.peerOf(nick);
  assert.ok(peer, `${nick} is registered`);
  return { child, peer };
}

function hasTerminalControls(text: string): boolean {
  return /[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(text);
}

describe('udpchat chat against the seed relay', () => {
  test('the joiner is welcomed and two clients see each other’s lines exactly', async (t) => {
    const relay = await startRelay(t);
    const alice = await joined(t, relay, 'alice');
    const bob = await joined(t, relay, 'bob');
    await alice.child.waitForLine('*** bob joined ***');

    alice.child.writeLine('hello');
    await bob.child.waitForLine('<alice> hello');
    bob.child.writeLine('hey alice');
    await alice.child.waitForLine('<bob> hey alice');

    assert.deepEqual(bob.child.stdout.items, ['*** welcome, bob ***', '<alice> hello']);
    assert.deepEqual(alice.child.stdout.items, [
      '*** welcome, alice ***',
      '*** bob joined ***',
      '<bob> hey alice',
    ]);
  });

  test('/pong is never printed', async (t) => {
    const relay = await startRelay(t);
    const alice = await joined(t, relay, 'alice');
    relay.inject(alice.peer, '/pong');
    relay.inject(alice.peer, '*** marker ***');
    await alice.child.waitForLine('*** marker ***');
    assert.deepEqual(alice.child.stdout.items, ['*** welcome, alice ***', '*** marker ***']);
  });

  test('end of stdin sends /leave, the others see "left", and the client exits 0', async (t) => {
    const relay = await startRelay(t);
    const alice = await joined(t, relay, 'alice');
    const bob = await joined(t, relay, 'bob');

    alice.child.endInput();
    await relay.waitForLine('/leave', alice.peer);
    await bob.child.waitForLine('*** alice left ***');
    assert.deepEqual(await alice.child.waitForExit(), { code: 0, signal: null });
  });

  test('a /leave line sends /leave and exits 0 while stdin is still open', async (t) => {
    const relay = await startRelay(t);
    const alice = await joined(t, relay, 'alice');
    alice.child.writeLine('/leave');
    await relay.waitForLine('/leave', alice.peer);
    assert.deepEqual(await alice.child.waitForExit(), { code: 0, signal: null });
  });

  test('SIGTERM sends /leave and exits 0', async (t) => {
    const relay = await startRelay(t);
    const alice = await joined(t, relay, 'alice');
    assert.deepEqual(await alice.child.stop(), { code: 0, signal: null });
    await relay.waitForLine('/leave', alice.peer);
  });

  test('a hostile line from the relay reaches stdout with no ESC or BEL', async (t) => {
    const relay = await startRelay(t);
    const bob = await joined(t, relay, 'bob');
    relay.inject(bob.peer, '<eve> \x1b[2J\x07hi');
    relay.inject(bob.peer, Buffer.from([...Buffer.from('<eve> '), 0xff, ...Buffer.from('ok\n')]));
    assert.equal(await bob.child.waitForLine((line) => line.startsWith('<eve> h')), '<eve> hi');
    assert.equal(await bob.child.waitForLine((line) => line.startsWith('<eve> \ufffd')), '<eve> \ufffdok');
    assert.ok(!hasTerminalControls(bob.child.stdoutText), JSON.stringify(bob.child.stdoutText));
  });

  test('a line over 1024 characters is refused locally and nothing is sent', async (t) => {
    const relay = await startRelay(t);
    const alice = await joined(t, relay, 'alice');
    alice.child.writeLine('x'.repeat(1025));
    alice.child.writeLine('short');
    await relay.waitForLine('short', alice.peer);
    await alice.child.waitForLine('udpchat: line not sent: 1025 characters (max 1024)', { stream: 'stderr' });
    const fromAlice = relay.received.items.filter((r) => r.from.port === alice.peer.port).map((r) => r.line);
    assert.deepEqual(fromAlice, ['/join alice', 'short']);
  });

  test('a nick the relay refuses prints the relay’s line and exits 1', async (t) => {
    const refusal = '*** nickname alice is already in use ***';
    const relay = await startRelay(t, { refuse: (nick) => (nick === 'alice' ? refusal : null) });
    const alice = chat(t, relay, 'alice');
    assert.deepEqual(await alice.waitForExit(), { code: 1, signal: null });
    assert.deepEqual(alice.stdout.items, [refusal]);
  });

  test('--trace prints every datagram on stderr', async (t) => {
    const relay = await startRelay(t);
    const alice = chat(t, relay, 'alice', ['--trace']);
    await alice.waitForLine('*** welcome, alice ***');
    await alice.waitForLine(`out 127.0.0.1:${relay.port} 12B "/join alice\\n"`, { stream: 'stderr' });
    await alice.waitForLine(`in  127.0.0.1:${relay.port} 23B "*** welcome, alice ***\\n"`, {
      stream: 'stderr',
    });
  });
});

describe('udpchat chat arguments', () => {
  test('a bad port is a usage error (exit 2)', async (t) => {
    const child = CliProcess.cli(['chat', 'alice', '127.0.0.1', 'nine'], { name: 'bad port' });
    t.after(() => child.stop());
    assert.deepEqual(await child.waitForExit(), { code: 2, signal: null });
    await child.waitForLine(/^udpchat chat: port must be a port number/, { stream: 'stderr' });
  });

  test('--help prints the usage and exits 0', async (t) => {
    const child = CliProcess.cli(['chat', '--help'], { name: 'help' });
    t.after(() => child.stop());
    assert.deepEqual(await child.waitForExit(), { code: 0, signal: null });
    assert.match(child.stdout.items[0] ?? '', /^Usage: udpchat chat \[nick\] \[host\] \[port\] \[--nick N\]/);
  });
});
