/**
 * The `--v2-*` flags of `udpchat relay` and `udpchat chat`, on the built CLI as child processes: a bad value
 * or a contradiction is one line on stderr and exit status 2 before anything is bound, and a good value
 * reaches the v2 layer (a relay with room for one session refuses the second; a client told to probe once
 * sends one HELLO). Run `npm run build` first when running this file by hand.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { describe, type TestContext, test } from 'node:test';
import { CliProcess } from './support/cli-process.ts';
import { startRelay } from './support/relay-process.ts';

async function refused(args: readonly string[], line: string): Promise<void> {
  const child = CliProcess.cli(args, { name: args.join(' ') });
  const status = await child.waitForExit();
  assert.deepEqual(child.stderr.items, [line], args.join(' '));
  assert.deepEqual(status, { code: 2, signal: null }, args.join(' '));
}

/** A relay that speaks only the seed's v1: it ignores HELLOs and welcomes any /join. */
async function v1Relay(t: TestContext): Promise<number> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (bytes, from) => {
    const text = bytes.toString('utf8');
    if (text.startsWith('/join '))
      socket.send(`*** welcome, ${text.slice(6).trim()} ***\n`, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  t.after(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return socket.address().port;
}

describe('the --v2-* flags', () => {
  test('a bad value names the flag and what it takes, in relay and chat', async () => {
    await refused(
      ['relay', '--v2-ack-delay', 'soon'],
      'udpchat relay: --v2-ack-delay must be a duration like 250ms, 1.5s or 2m (a plain number is seconds), got "soon"',
    );
    await refused(
      ['relay', '--v2-max-in-flight', '0'],
      'udpchat relay: --v2-max-in-flight must be a whole number >= 1, got "0"',
    );
    await refused(
      ['chat', 'alice', '--v2-max-rto', '0'],
      'udpchat chat: --v2-max-rto must be greater than 0, got "0"',
    );
    await refused(
      ['chat', 'alice', '--v2-receive-window', 'lots'],
      'udpchat chat: --v2-receive-window must be a whole number >= 1, got "lots"',
    );
  });

  test('values that contradict each other are refused with both flags named', async () => {
    await refused(
      ['relay', '--v2-min-rto', '1s', '--v2-initial-rto', '500ms'],
      'udpchat relay: --v2-min-rto (1000 ms) must not be above --v2-initial-rto (500 ms)',
    );
    await refused(
      ['chat', 'alice', '--v2-initial-rto', '10s'],
      'udpchat chat: --v2-initial-rto (10000 ms) must not be above --v2-max-rto (8000 ms)',
    );
    await refused(
      ['relay', '--idle-timeout', '3', '--v2-keepalive', '1500ms'],
      'udpchat relay: --v2-keepalive / --v2-idle-timeout: a keep-alive must be 1 ms to a third of the idle timeout (1000 ms), so one lost ping never evicts',
    );
  });

  test('every flag is in the help with its default', async () => {
    for (const [command, flags] of [
      [
        'relay',
        [
          '--v2-ack-delay D',
          '(default 25ms)',
          '--v2-max-retransmissions N',
          '--v2-idle-timeout D',
          '--v2-challenge-retry D',
          '(default 1s)',
        ],
      ],
      ['chat', ['--v2-keepalive D', '(default 10s)', '--v2-stall-after D', '--v2-validate-retry D']],
    ] as const) {
      const child = CliProcess.cli([command, '--help'], { name: `${command} --help` });
      assert.deepEqual(await child.waitForExit(), { code: 0, signal: null });
      const help = child.stdoutText.replace(/\s+/g, ' ');
      for (const text of flags) assert.ok(help.includes(text), `${command} --help shows ${text}`);
    }
  });

  test('--v2-max-sessions 1: the relay refuses a second v2 session', async (t) => {
    const relay = await startRelay(t, ['--v2-max-sessions', '1']);
    const args = ['--protocol', 'v2', '127.0.0.1', String(relay.port)];
    const first = CliProcess.cli(['chat', 'alice', ...args], { name: 'alice' });
    t.after(() => first.stop());
    await first.waitForLine('*** welcome, alice ***');
    const second = CliProcess.cli(['chat', 'bob', ...args], { name: 'bob' });
    t.after(() => second.stop());
    await second.waitForLine(/does not speak protocol v2/, { stream: 'stderr' });
    assert.deepEqual(await second.waitForExit(), { code: 1, signal: null });
  });

  test('--v2-probes 1: the client sends one HELLO, then speaks v1 to a v1 relay', async (t) => {
    const port = await v1Relay(t);
    const child = CliProcess.cli(['chat', 'bob', '127.0.0.1', String(port), '--trace', '--v2-probes', '1'], {
      name: 'bob',
    });
    t.after(() => child.stop());
    await child.waitForLine('*** welcome, bob ***');
    child.endInput();
    await child.waitForExit();
    const hellos = child.stderr.items.filter((line) => / v2 HELLO /.test(line));
    assert.equal(hellos.length, 1, child.stderr.items.join('\n'));
    assert.ok(child.stderr.items.some((line) => line.includes('"/join bob\\n"')));
  });
});
