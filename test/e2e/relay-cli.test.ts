/**
 * The real `udpchat relay` process with real `udpchat chat` processes and raw UDP peers that speak the
 * seed's lines, all on 127.0.0.1 with ports chosen by the kernel. Run `npm run build` first by hand.
 */
import assert from 'node:assert/strict';
import { describe, type TestContext, test } from 'node:test';
import { nativeSendThreads } from '../../src/transport/native-send.ts';
import { CliProcess } from './support/cli-process.ts';
import { seedPeer as peer, type RunningRelay, startRelay } from './support/relay-process.ts';

/**
 * Loaded into a relay with `--import`: V8 has no way to read a flag back, so this reports each flag the
 * process hands to V8 (`v8.setFlagsFromString`) on stderr, then hands it on. syncBuiltinESMExports makes
 * the relay's own `import { setFlagsFromString } from 'node:v8'` see the wrapper.
 */
const V8_FLAG_PROBE = `data:text/javascript,${encodeURIComponent(
  [
    "import v8 from 'node:v8';",
    "import { syncBuiltinESMExports } from 'node:module';",
    'const setFlags = v8.setFlagsFromString;',
    "v8.setFlagsFromString = (flags) => { process.stderr.write('v8 flags: ' + flags + '\\n'); setFlags(flags); };",
    'syncBuiltinESMExports();',
  ].join('\n'),
)}`;

/** The V8 flags a relay started with these arguments set, read once it has served a client and exited. */
async function v8FlagsOfRelay(t: TestContext, extra: readonly string[]): Promise<string[]> {
  const relay = await startRelay(t, extra, ['--import', V8_FLAG_PROBE]);
  await peer(t, relay, 'probe');
  assert.equal((await relay.process.stop()).code, 0);
  return relay.process.stderr.items.flatMap((line) => /^v8 flags: (.*)$/.exec(line)?.[1] ?? []);
}

function chat(t: TestContext, relay: RunningRelay, nick: string): CliProcess {
  const child = CliProcess.cli(['chat', nick, '127.0.0.1', String(relay.port)], { name: nick });
  t.after(() => child.stop());
  return child;
}

describe('udpchat relay, end to end', () => {
  test('three chat clients see exactly each other’s lines and departures', async (t) => {
    const relay = await startRelay(t);
    const alice = chat(t, relay, 'alice');
    await alice.waitForLine('*** welcome, alice ***');
    const bob = chat(t, relay, 'bob');
    await bob.waitForLine('*** welcome, bob ***');
    await alice.waitForLine('*** bob joined ***');
    const carol = chat(t, relay, 'carol');
    await carol.waitForLine('*** welcome, carol ***');
    await bob.waitForLine('*** carol joined ***');

    alice.writeLine('hi everyone');
    await bob.waitForLine('<alice> hi everyone');
    await carol.waitForLine('<alice> hi everyone');
    carol.endInput();
    assert.equal((await carol.waitForExit()).code, 0);
    await alice.waitForLine('*** carol left ***');
    await bob.waitForLine('*** carol left ***');

    assert.deepEqual(alice.stdout.items, [
      '*** welcome, alice ***',
      '*** bob joined ***',
      '*** carol joined ***',
      '*** carol left ***',
    ]);
    assert.deepEqual(carol.stdout.items, ['*** welcome, carol ***', '<alice> hi everyone']);
  });

  test('a peer speaking the seed’s exact bytes chats with our client, byte for byte', async (t) => {
    const relay = await startRelay(t);
    const seed = await peer(t, relay, 'seedy');
    const ours = chat(t, relay, 'ours');
    await ours.waitForLine('*** welcome, ours ***');
    await seed.expect('*** ours joined ***\n');
    ours.writeLine('hello seed');
    await seed.expect('<ours> hello seed\n');
    seed.send('hello ours\n');
    await ours.waitForLine('<seedy> hello ours');
    seed.send('/ping\n');
    await seed.expect('/pong\n');
    seed.send('/leave\n');
    await ours.waitForLine('*** seedy left ***');
  });

  test('an address that has not joined is asked to join first', async (t) => {
    const relay = await startRelay(t);
    const stranger = await peer(t, relay);
    stranger.send('hello?\n');
    await stranger.expect('*** please /join <nickname> first ***\n');
  });

  test('escape sequences sent by one client never reach another', async (t) => {
    const relay = await startRelay(t);
    const mallory = await peer(t, relay, 'mallory');
    const victim = await peer(t, relay, 'victim');
    mallory.send('\x1b[2J\x1b]0;owned\x07gotcha\x9b31m\r\n');
    await victim.expect('<mallory> gotcha\n');
  });

  test('a silent client is evicted as timed out', async (t) => {
    const relay = await startRelay(t, ['--idle-timeout', '0.3', '--sweep-interval', '0.1']);
    const sleepy = await peer(t, relay, 'sleepy');
    const awake = await peer(t, relay, 'awake');
    const pinger = setInterval(() => awake.send('/ping\n'), 50);
    t.after(() => clearInterval(pinger));
    await awake.expect('*** sleepy timed out ***\n', { timeoutMs: 3_000 });
    sleepy.send('still here?\n');
    await sleepy.expect('*** please /join <nickname> first ***\n');
  });

  test('SIGINT announces the shutdown to every client and exits 0 within 2 s', async (t) => {
    const relay = await startRelay(t);
    const a = await peer(t, relay, 'a');
    const b = await peer(t, relay, 'b');
    const started = process.hrtime.bigint();
    const exited = relay.process.exited;
    process.kill(relay.process.pid ?? 0, 'SIGINT');
    await a.expect('*** server going down ***\n');
    await b.expect('*** server going down ***\n');
    const status = await exited;
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(status.code, 0);
    assert.ok(elapsedMs < 2_000, `exited after ${elapsedMs} ms`);
  });

  test('--trace prints every datagram with direction, peer, size and escaped text', async (t) => {
    const relay = await startRelay(t, ['--trace']);
    const p = await peer(t, relay, 'tracy');
    p.send('bell\x07\n');
    const inbound = await relay.process.waitForLine(/^in {2}127\.0\.0\.1:\d+ 12B "\/join tracy\\n"$/, {
      stream: 'stderr',
    });
    assert.ok(inbound.includes(`:${p.port} `));
    await relay.process.waitForLine(/^out 127\.0\.0\.1:\d+ 23B "\*\*\* welcome, tracy \*\*\*\\n"$/, {
      stream: 'stderr',
    });
    await relay.process.waitForLine(/^in {2}127\.0\.0\.1:\d+ 6B "bell\\x07\\n"$/, { stream: 'stderr' });
  });

  test('--lean-memory puts V8 in its optimize-for-size mode, and the relay serves as usual', async (t) => {
    const relay = await startRelay(t, ['--lean-memory']);
    await peer(t, relay, 'lean');
    assert.deepEqual(await v8FlagsOfRelay(t, ['--lean-memory']), [
      '--semi-space-growth-factor=1',
      '--heap-growing-percent=25',
      '--optimize-for-size',
    ]);
    assert.deepEqual(await v8FlagsOfRelay(t, []), [
      '--semi-space-growth-factor=1',
      '--heap-growing-percent=25',
    ]);
  });

  test('--send-threads: lines, pongs and the shutdown notice all arrive, in order', async (t) => {
    const relay = await startRelay(t, ['--send-threads', '2', '--line-rate', '0', '--log-format', 'json']);
    // Without the addon the relay says so once and sends on the event loop; either way it serves.
    const started = await relay.process.waitForLine(/"msg":"relay started"/);
    const threads = (JSON.parse(started) as { sendThreads: number }).sendThreads;
    if (nativeSendThreads() !== null) assert.equal(threads, 2);
    else {
      assert.equal(threads, 0);
      await relay.process.waitForLine(/--send-threads: the native addon is not built here/);
    }
    const a = await peer(t, relay, 'a');
    const b = await peer(t, relay, 'b');
    await a.expect('*** b joined ***\n');
    for (let i = 0; i < 50; i++) a.send(`line ${i}\n`);
    for (let i = 0; i < 50; i++) await b.expect(`<a> line ${i}\n`);
    b.send('/ping\n');
    await b.expect('/pong\n');
    const exited = relay.process.exited;
    process.kill(relay.process.pid ?? 0, 'SIGINT');
    await a.expect('*** server going down ***\n');
    await b.expect('*** server going down ***\n');
    assert.equal((await exited).code, 0);
  });

  test('a bad flag or value is a one-line error with exit code 2', async () => {
    for (const args of [
      ['relay', '--port', 'x'],
      ['relay', '--send-threads', '17'],
      ['relay', '--send-threads', 'two'],
      ['relay', '--idle-timeout', '-1'],
      ['relay', '--bogus'],
      ['nope'],
    ]) {
      const child = CliProcess.cli(args, { name: args.join(' ') });
      const status = await child.waitForExit();
      assert.equal(status.code, 2, args.join(' '));
      assert.equal(child.stderr.items.length, 1, child.stderr.items.join('\n'));
      assert.match(child.stderr.items[0] ?? '', /^udpchat( relay)?: /);
    }
  });

  test('--version and --help answer and exit 0', async () => {
    const version = CliProcess.cli(['--version']);
    assert.equal((await version.waitForExit()).code, 0);
    assert.match(version.stdout.items[0] ?? '', /^\d+\.\d+\.\d+$/);
    const help = CliProcess.cli(['--help']);
    assert.equal((await help.waitForExit()).code, 0);
    assert.ok(help.stdout.items.some((l) => l.includes('udpchat relay')));
  });
});
