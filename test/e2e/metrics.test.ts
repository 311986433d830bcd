/**
 * `udpchat relay --metrics`: the real relay process, known traffic from raw UDP peers on 127.0.0.1, then
 * a scrape of /metrics whose counters must match that traffic exactly. Also the structured log and the
 * observability flags. Run `npm run build` first by hand.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { describe, type TestContext, test } from 'node:test';
import { METRIC } from '../../src/observability/metrics-names.ts';
import { type MetricSet, parsePrometheusText } from '../../src/top/prometheus-text.ts';
import { CliProcess } from './support/cli-process.ts';
import { UdpPeer } from './support/udp-peer.ts';

interface RunningRelay {
  readonly process: CliProcess;
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly base: string;
}

async function startRelay(t: TestContext, extra: readonly string[] = []): Promise<RunningRelay> {
  const args = ['relay', '--host', '127.0.0.1', '--port', '0', '--metrics', '127.0.0.1:0', ...extra];
  const relay = CliProcess.cli(args, { name: 'relay' });
  t.after(() => relay.stop());
  const listening = await relay.waitForLine(/^relay listening on udp\/\d+$/);
  const metrics = await relay.waitForLine(/^metrics on http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  const identity = await relay.waitForLine(/^relay identity SHA256:/);
  assert.deepEqual(
    relay.stdout.items.slice(0, 3),
    [listening, metrics, identity],
    'the plain lines come first',
  );
  return {
    process: relay,
    port: Number(listening.split('/')[1]),
    base: metrics.slice('metrics on '.length, -'/metrics'.length),
  };
}

async function scrape(relay: RunningRelay): Promise<MetricSet> {
  const response = await fetch(`${relay.base}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text());
}

/** Scrapes until `ready` holds (the relay may still be reading datagrams a peer sent back to back). */
async function scrapeUntil(relay: RunningRelay, ready: (m: MetricSet) => boolean): Promise<MetricSet> {
  for (let attempt = 0; ; attempt++) {
    const m = await scrape(relay);
    if (ready(m) || attempt === 50) return m;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A peer that has joined and been welcomed. */
async function joined(t: TestContext, relay: RunningRelay, nick: string): Promise<UdpPeer> {
  const peer = await UdpPeer.connect(relay.port);
  t.after(() => peer.close());
  peer.send(`/join ${nick}\n`);
  await peer.expect(`*** welcome, ${nick} ***\n`);
  return peer;
}

const bytes = (texts: readonly string[]): number => texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0);

describe('udpchat relay --metrics, end to end', () => {
  test('after known traffic every counter matches it exactly', async (t) => {
    const relay = await startRelay(t);
    assert.equal((await fetch(`${relay.base}/healthz`)).status, 200);
    const alice = await joined(t, relay, 'alice');
    const bob = await joined(t, relay, 'bob');
    await alice.expect('*** bob joined ***\n');
    const carol = await joined(t, relay, 'carol');
    await bob.expect('*** carol joined ***\n');

    const lines = ['one\n', 'two\n', 'three\n', 'four\n', 'five\n'];
    for (const line of lines) alice.send(line);
    for (const peer of [bob, carol]) await peer.expect('<alice> five\n');
    const tooLong = `${'x'.repeat(1_100)}\n`;
    alice.send(tooLong);
    await alice.expect('*** line refused: 1100 characters (max 1024) ***\n');
    const stranger = await UdpPeer.connect(relay.port);
    t.after(() => stranger.close());
    stranger.send('hello?\n');
    await stranger.lines.waitFor(() => true, { what: 'the please-join hint' });

    const sentIn = ['/join alice\n', '/join bob\n', '/join carol\n', ...lines, tooLong, 'hello?\n'];
    const received = [alice, bob, carol, stranger].flatMap((p) => p.lines.items);
    // A send is counted when the kernel reports it done, which may be just after the peer has the datagram.
    const m = await scrapeUntil(relay, (s) => s.value(METRIC.datagramsOut) === received.length);
    assert.equal(m.value(METRIC.datagramsIn), sentIn.length);
    assert.equal(m.value(METRIC.bytesIn), bytes(sentIn));
    assert.equal(m.value(METRIC.datagramsOut), received.length, received.join(''));
    assert.equal(m.value(METRIC.bytesOut), bytes(received));
    assert.equal(m.value(METRIC.sendErrors), 0);
    assert.equal(m.value(METRIC.joins), 3);
    assert.equal(m.value(METRIC.clients), 3);
    assert.equal(m.value(METRIC.rooms), 1);
    assert.equal(m.value(METRIC.linesRelayed), 5);
    assert.equal(m.value(METRIC.deliveries), 10);
    assert.equal(m.value(METRIC.refusals, { reason: 'line-too-long' }), 1);
    assert.equal(m.value(METRIC.refusals, { reason: 'not-joined' }), 1);
    assert.equal(m.value(METRIC.refusals, { reason: 'nick-in-use' }), 0);
    assert.equal(m.value(METRIC.throttled), 0);
    assert.ok((m.value(METRIC.topTalkers, { nick: 'alice' }) ?? 0) > 0, 'alice is the top talker');
    assert.equal(m.series(METRIC.topTalkers).length, 1);
    assert.ok((m.value(METRIC.eventLoopLag, { stat: 'max' }) ?? -1) >= 0);

    carol.send('/leave\n');
    await bob.expect('*** carol left ***\n');
    const after = await scrape(relay);
    assert.equal(after.value(METRIC.departures, { reason: 'left' }), 1);
    assert.equal(after.value(METRIC.clients), 2);
    assert.equal(after.value(METRIC.evictions), 0);
  });

  test('TCP clients are counted by transport: open connections, lines and bytes each way', async (t) => {
    const relay = CliProcess.cli(
      ['relay', '--host', '127.0.0.1', '--port', '0', '--tcp-port', '0', '--metrics', '127.0.0.1:0'],
      { name: 'relay' },
    );
    t.after(() => relay.stop());
    const tcpLine = await relay.waitForLine(/^relay listening on tcp\/\d+$/);
    const metricsLine = await relay.waitForLine(/^metrics on http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const running: RunningRelay = {
      process: relay,
      port: 0,
      base: metricsLine.slice('metrics on '.length, -'/metrics'.length),
    };
    const before = await scrape(running);
    assert.equal(before.value(METRIC.streamConnections, { transport: 'tcp' }), 0);
    assert.equal(before.value(METRIC.streamConnections, { transport: 'ws' }), undefined, 'no --web');

    const socket = await tcpClient(Number(tcpLine.split('/')[1]));
    t.after(() => socket.destroy());
    const welcome = '*** welcome, alice ***\n';
    const heard = waitForText(socket, welcome);
    socket.write('/join alice\n');
    await heard;
    const m = await scrapeUntil(running, (s) => s.value(METRIC.streamUnitsOut, { transport: 'tcp' }) === 1);
    assert.equal(m.value(METRIC.streamConnections, { transport: 'tcp' }), 1);
    assert.equal(m.value(METRIC.streamUnitsIn, { transport: 'tcp' }), 1);
    assert.equal(m.value(METRIC.streamBytesIn, { transport: 'tcp' }), '/join alice\n'.length);
    assert.equal(m.value(METRIC.streamBytesOut, { transport: 'tcp' }), welcome.length);
    assert.equal(m.value(METRIC.clients), 1, 'a TCP client is a client like any other');

    socket.end();
    const gone = await scrapeUntil(
      running,
      (s) => s.value(METRIC.streamConnections, { transport: 'tcp' }) === 0,
    );
    assert.equal(gone.value(METRIC.streamConnections, { transport: 'tcp' }), 0, 'a FIN closes the count');
  });

  test('a flooder’s extra lines are counted as throttled', async (t) => {
    const relay = await startRelay(t, ['--line-burst', '3', '--line-rate', '0.1']);
    const flooder = await joined(t, relay, 'flooder');
    const listener = await joined(t, relay, 'listener');
    for (let i = 0; i < 10; i++) flooder.send(`line ${i}\n`);
    await listener.expect('<flooder> line 2\n');
    await flooder.expect('*** you are sending too fast: line dropped ***\n');
    const m = await scrapeUntil(relay, (s) => s.value(METRIC.datagramsIn) === 12);
    assert.equal(m.value(METRIC.linesRelayed), 3);
    assert.equal(m.value(METRIC.throttled), 7);
  });

  test('logs are JSON records when stdout is collected: joins and departures, never a message body', async (t) => {
    const relay = await startRelay(t);
    const alice = await joined(t, relay, 'alice');
    alice.send('a private thought\n');
    alice.send('/leave\n');
    const left = await relay.process.waitForLine((line) => line.includes('"alice left"'));
    // After the listening, metrics and identity lines, only JSON records.
    const records = relay.process.stdout.items
      .slice(3)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(records[0]?.msg, 'relay started');
    assert.equal(records[0]?.rcvbuf, 4 * 1024 * 1024);
    const join = records.find((r) => r.event === 'joined');
    assert.equal(join?.nick, 'alice');
    assert.equal(join?.level, 'info');
    assert.match(String(join?.address), /^127\.0\.0\.1:\d+$/);
    assert.equal((JSON.parse(left) as Record<string, unknown>).reason, 'left');
    assert.ok(!relay.process.stdoutText.includes('private thought'));
  });

  test('--log-format pretty prints one readable line per record; --log-level debug adds refusals', async (t) => {
    const relay = await startRelay(t, ['--log-format', 'pretty', '--log-level', 'debug']);
    const stranger = await UdpPeer.connect(relay.port);
    t.after(() => stranger.close());
    stranger.send('hi\n');
    const line = await relay.process.waitForLine(/ DEBUG refused /);
    assert.match(
      line,
      /^\d\d:\d\d:\d\d\.\d{3} DEBUG refused {2}event=refused address=127\.0\.0\.1:\d+ reason=not-joined$/,
    );
    assert.match(
      relay.process.stdout.items[3] ?? '', // after the listening, metrics and identity lines
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}relay started {2}host=127\.0\.0\.1 /,
    );
  });

  test('a socket buffer above the kernel limit is granted what the kernel allows, with a warning', async (t) => {
    const limit = Number(readLimit('/proc/sys/net/core/rmem_max'));
    if (!(limit > 0) || limit >= 64 * 1024 * 1024) {
      t.skip('no /proc/sys/net/core/rmem_max below 64 MiB here');
      return;
    }
    const relay = await startRelay(t, ['--rcvbuf', '64M', '--sndbuf', '1M']);
    const warning = await relay.process.waitForLine((line) => line.includes('"level":"warn"'));
    const record = JSON.parse(warning) as Record<string, unknown>;
    assert.equal(record.flag, '--rcvbuf');
    assert.equal(record.requested, 64 * 1024 * 1024);
    assert.equal(record.granted, limit);
    await joined(t, relay, 'still-works');
  });

  test('bad observability flags are usage errors (exit 2) and nothing is bound', async () => {
    for (const [flag, value, message] of [
      ['--metrics', '9100', /--metrics must be HOST:PORT/],
      ['--log-level', 'loud', /--log-level must be one of fatal, error, warn, info, debug, trace, silent/],
      ['--log-format', 'xml', /--log-format must be one of json, pretty/],
      ['--rcvbuf', 'lots', /--rcvbuf must be a size in bytes/],
      ['--sndbuf', '3000M', /--sndbuf must be below 2 GiB/],
    ] as const) {
      const relay = CliProcess.cli(['relay', '--port', '0', flag, value], { name: flag });
      assert.equal((await relay.waitForExit()).code, 2, flag);
      assert.match(relay.stderr.items.join('\n'), message);
    }
  });

  test('a metrics address in use stops the relay before it binds UDP (exit 1, one line)', async (t) => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    t.after(() => busy.close());
    const address = busy.address();
    assert.ok(address !== null && typeof address === 'object');
    const relay = CliProcess.cli(['relay', '--port', '0', '--metrics', `127.0.0.1:${address.port}`]);
    assert.equal((await relay.waitForExit()).code, 1);
    assert.match(
      relay.stderr.items[0] ?? '',
      /^udpchat: --metrics: cannot listen on http:\/\/127\.0\.0\.1:\d+: .*EADDRINUSE/,
    );
    assert.deepEqual(relay.stdout.items, []);
  });

  test('without --metrics nothing is served and the listening line is still first', async (t) => {
    const relay = CliProcess.cli(['relay', '--host', '127.0.0.1', '--port', '0'], { name: 'relay' });
    t.after(() => relay.stop());
    await relay.waitForLine(/^relay listening on udp\/\d+$/);
    const next = await relay.waitForLine((line) => line.includes('relay started'));
    assert.equal((JSON.parse(next) as Record<string, unknown>).metrics, null);
  });
});

function readLimit(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function tcpClient(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves once everything the socket received contains `text`; rejects after 5 s. */
function waitForText(socket: Socket, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let received = '';
    const timer = setTimeout(
      () => reject(new Error(`no ${JSON.stringify(text)} in ${JSON.stringify(received)}`)),
      5_000,
    );
    const onData = (chunk: Buffer): void => {
      received += chunk.toString('utf8');
      if (!received.includes(text)) return;
      clearTimeout(timer);
      socket.off('data', onData);
      resolve();
    };
    socket.on('data', onData);
  });
}
