/**
 * `udpchat top` against a real relay process with traffic: the scriptable forms (`--once`, and the plain
 * snapshot stream when stdout is not a terminal). The full-screen form is tried by hand in tmux.
 * Run `npm run build` first by hand.
 */
import assert from 'node:assert/strict';
import { describe, type TestContext, test } from 'node:test';
import { CliProcess } from './support/cli-process.ts';
import { UdpPeer } from './support/udp-peer.ts';

interface RunningRelay {
  readonly port: number;
  /** HOST:PORT of the metrics endpoint. */
  readonly metrics: string;
}

async function startRelay(t: TestContext): Promise<RunningRelay> {
  const relay = CliProcess.cli(['relay', '--host', '127.0.0.1', '--port', '0', '--metrics', '127.0.0.1:0'], {
    name: 'relay',
  });
  t.after(() => relay.stop());
  const listening = await relay.waitForLine(/^relay listening on udp\/\d+$/);
  const metrics = await relay.waitForLine(/^metrics on http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  return {
    port: Number(listening.split('/')[1]),
    metrics: new URL(metrics.slice('metrics on '.length)).host,
  };
}

async function chatter(t: TestContext, relay: RunningRelay, nick: string): Promise<UdpPeer> {
  const peer = await UdpPeer.connect(relay.port);
  t.after(() => peer.close());
  peer.send(`/join ${nick}\n`);
  await peer.expect(`*** welcome, ${nick} ***\n`);
  return peer;
}

describe('udpchat top, end to end', () => {
  test('--once prints one snapshot with the relay’s figures', async (t) => {
    const relay = await startRelay(t);
    const alice = await chatter(t, relay, 'alice');
    const bob = await chatter(t, relay, 'bob');
    for (let i = 0; i < 4; i++) alice.send(`hello ${i}\n`);
    await bob.expect('<alice> hello 3\n');
    alice.send(`${'x'.repeat(1_100)}\n`);
    await alice.expect('*** line refused: 1100 characters (max 1024) ***\n');

    const top = CliProcess.cli(['top', '--metrics', relay.metrics, '--once', '--interval', '0.3'], {
      name: 'top',
    });
    const status = await top.waitForExit();
    const out = top.stdoutText;
    assert.equal(status.code, 0, top.stderr.items.join('\n'));
    assert.match(
      out,
      new RegExp(`^ udpchat top {2}http://${relay.metrics}/metrics +up \\d\\d:\\d\\d:\\d\\d$`, 'm'),
    );
    assert.match(
      out,
      /^ clients 2 {2}rooms 1 {2}joins 2 {2}evictions 0 {2}lag p99 [\d.]+ m?s max [\d.]+ m?s$/m,
    );
    assert.match(out, /^ datagrams in +0\/s +7 /m);
    assert.match(out, /^ lines relayed +0\/s +4 /m);
    assert.match(out, /^ deliveries +0\/s +4 /m);
    assert.match(out, /^ send errors +0\/s +0 /m);
    assert.match(out, /^ line-too-long +0 +1 +alice +[\d.]+$/m);
    assert.ok(!out.includes('\x1b'), 'no escape sequences when stdout is not a terminal');
  });

  test('without a terminal it prints a plain snapshot every interval, with rates, until stopped', async (t) => {
    const relay = await startRelay(t);
    const alice = await chatter(t, relay, 'alice');
    const top = CliProcess.cli(
      ['top', '--metrics', `http://${relay.metrics}/metrics`, '--interval', '0.25'],
      {
        name: 'top',
      },
    );
    t.after(() => top.stop());
    await top.waitForLine(/^ lines relayed +0\/s +0 /);
    const talk = setInterval(() => alice.send('busy\n'), 25);
    t.after(() => clearInterval(talk));
    // Flood control lets 4 lines a second through after a burst of 10; the rate shows up as non-zero.
    await top.waitForLine(/^ lines relayed +[1-9][\d.,]*\/s +\d+ /, { timeoutMs: 5_000 });
    await top.waitForLine(/ alice +[\d.]+$/);
    assert.equal((await top.stop()).code, 0);
  });

  test('--once against no relay exits 1 with the reason', async () => {
    const top = CliProcess.cli(['top', '--metrics', '127.0.0.1:1', '--once']);
    assert.equal((await top.waitForExit()).code, 1);
    assert.match(
      top.stderr.items[0] ?? '',
      /^udpchat: cannot scrape http:\/\/127\.0\.0\.1:1\/metrics: connection refused/,
    );
  });

  test('usage errors exit 2', async () => {
    for (const args of [
      ['top'],
      ['top', '--metrics', 'nonsense'],
      ['top', '--metrics', '127.0.0.1:9', '--interval', '0'],
    ]) {
      const top = CliProcess.cli(args);
      assert.equal((await top.waitForExit()).code, 2, args.join(' '));
      assert.match(top.stderr.items[0] ?? '', /^udpchat top: /);
    }
    const help = CliProcess.cli(['top', '--help']);
    assert.equal((await help.waitForExit()).code, 0);
    assert.match(help.stdoutText, /^Usage: udpchat top --metrics HOST:PORT/);
  });
});
