/**
 * The built CLI as a child process: a mistake on the command line is one line on stderr naming the
 * subcommand, with the nearest known flag when one is close, and exit status 2; nothing is bound or
 * started. Run `npm run build` first when running this file by hand.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CliProcess } from './support/cli-process.ts';
import { seedPeer as peer, startRelay } from './support/relay-process.ts';

async function refused(args: readonly string[], line: string): Promise<void> {
  const child = CliProcess.cli(args, { name: args.join(' ') });
  const status = await child.waitForExit();
  assert.deepEqual(child.stderr.items, [line], args.join(' '));
  assert.deepEqual(status, { code: 2, signal: null }, args.join(' '));
  assert.equal(child.stdoutText, '', 'nothing started, nothing printed');
}

describe('udpchat usage errors', () => {
  test('an unknown flag names the command and its help', async () => {
    await refused(['relay', '--xyz'], 'udpchat relay: unknown flag --xyz (see udpchat relay --help)');
  });

  test('a flag one slip from a known one gets a suggestion, in every subcommand', async () => {
    const cases: readonly [readonly string[], string][] = [
      [
        ['relay', '--idle-timout', '5'],
        'udpchat relay: unknown flag --idle-timout, did you mean --idle-timeout? (see udpchat relay --help)',
      ],
      [
        ['chat', '--prot'],
        'udpchat chat: unknown flag --prot, did you mean --port? (see udpchat chat --help)',
      ],
      [
        ['chaos', '--los', '5%'],
        'udpchat chaos: unknown flag --los, did you mean --loss? (see udpchat chaos --help)',
      ],
      [
        ['account', 'add', 'alice', '--forse'],
        'udpchat account add: unknown flag --forse, did you mean --force? (see udpchat account add --help)',
      ],
      [
        ['top', '--intervall', '2'],
        'udpchat top: unknown flag --intervall, did you mean --interval? (see udpchat top --help)',
      ],
      [
        ['bench', '--clinets', '5'],
        'udpchat bench: unknown flag --clinets, did you mean --clients? (see udpchat bench --help)',
      ],
    ];
    for (const [args, line] of cases) await refused(args, line);
  });

  test('chat --relay takes a list of relays; a bad entry names itself, and a list needs v2', async () => {
    await refused(
      ['chat', 'alice', '--relay', '127.0.0.1:9001,nope'],
      'udpchat chat: --relay entry 2 must be HOST:PORT (e.g. 127.0.0.1:9999; IPv6 as [::1]:9999), got "nope"',
    );
    await refused(
      ['chat', 'alice', '--relay', '127.0.0.1:9001,127.0.0.1:9002', '--tcp'],
      'udpchat chat: --relay with more than one relay needs protocol v2 (not --tcp or v1)',
    );
    await refused(
      ['chat', 'alice', '--relay', '127.0.0.1:9001,127.0.0.1:9002', '--multicast', '239.255.0.1:9999'],
      'udpchat chat: --multicast goes with one relay, not a list of them',
    );
  });

  test('a missing value and a bad value name the flag', async () => {
    await refused(['relay', '--port'], 'udpchat relay: --port needs a value');
    await refused(['relay', '--port', '--trace'], 'udpchat relay: --port needs a value');
    await refused(['relay', '--port', 'x'], 'udpchat relay: --port must be a port number 0-65535, got "x"');
    await refused(
      ['relay', '--idle-timeout', 'soon'],
      'udpchat relay: --idle-timeout must be a duration like 250ms, 1.5s or 2m (a plain number is seconds), got "soon"',
    );
  });

  test('an unknown subcommand or action gets a suggestion too', async () => {
    await refused(['rely'], 'udpchat: unknown command "rely", did you mean "relay"? (see udpchat --help)');
    await refused(
      ['account', 'ad'],
      'udpchat account: unknown command "ad", did you mean "add"? (see udpchat account --help)',
    );
  });

  test('--help answers even after a mistake, from the command’s own table', async () => {
    const child = CliProcess.cli(['relay', '--xyz', '--help']);
    assert.equal((await child.waitForExit()).code, 0);
    assert.match(child.stdout.items[0] ?? '', /^Usage: udpchat relay \[--host H\] \[--port PORT\]/);
    assert.ok(child.stdout.items.some((line) => /^ {2}--idle-timeout D .*\(default 30s\)$/.test(line)));
  });
});

describe('udpchat relay durations with units', () => {
  test('--idle-timeout 300ms --sweep-interval 100ms evicts a silent client', async (t) => {
    const relay = await startRelay(t, ['--idle-timeout', '300ms', '--sweep-interval', '100ms']);
    const sleepy = await peer(t, relay, 'sleepy');
    const awake = await peer(t, relay, 'awake');
    const pinger = setInterval(() => awake.send('/ping\n'), 50);
    t.after(() => clearInterval(pinger));
    // Read as seconds (the bare unit), 300 would keep sleepy for five minutes.
    await awake.expect('*** sleepy timed out ***\n', { timeoutMs: 3_000 });
    sleepy.send('still here?\n');
    await sleepy.expect('*** please /join <nickname> first ***\n');
  });
});
