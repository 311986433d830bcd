/**
 * The relay over TCP, through real sockets on 127.0.0.1: newline framing whatever the split points, the
 * core's rules for TCP clients, limits (overlong lines, slow readers, idle connections), and FIN, RST and
 * silence as departures. UDP and TCP clients meet in the same rooms.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { RelayServer } from '../../src/relay-host/relay-server.ts';
import type { StreamConnection } from '../../src/transport/stream-connection.ts';
import { TcpServer } from '../../src/transport/tcp-server.ts';
import { UdpPeer } from '../e2e/support/udp-peer.ts';
import { TcpPeer } from '../support/tcp-peer.ts';

const MAX = 4100;

async function startRelay(
  t: TestContext,
  idleTimeoutMs = 30_000,
): Promise<{ server: RelayServer; tcp: number }> {
  const server = await RelayServer.start({
    host: '127.0.0.1',
    port: 0,
    relay: { idleTimeoutMs, sweepIntervalMs: Math.min(5_000, Math.floor(idleTimeoutMs / 4)) },
    streams: { tcpPort: 0 },
  });
  t.after(() => server.stop());
  const tcp = server.tcpAddress?.port;
  assert.ok(tcp !== undefined && tcp > 0);
  return { server, tcp };
}

async function peer(t: TestContext, port: number, nick?: string): Promise<TcpPeer> {
  const p = await TcpPeer.connect(port);
  t.after(() => p.close());
  if (nick !== undefined) await p.join(nick);
  return p;
}

describe('the relay over TCP', () => {
  it('welcomes a TCP client and relays its lines to TCP and UDP clients alike, in order', async (t) => {
    const { server, tcp } = await startRelay(t);
    const alice = await peer(t, tcp, 'alice');
    const bob = await peer(t, tcp, 'bob');
    const carol = await UdpPeer.connect(server.address.port);
    t.after(() => carol.close());
    carol.send('/join carol\n');
    await carol.expect('*** welcome, carol ***\n');
    await alice.expect('*** carol joined ***');
    for (let i = 0; i < 20; i++) alice.write(`line ${i}\n`);
    carol.send('hello from udp\n');
    await bob.expect('<alice> line 9');
    await carol.expect('<alice> line 9\n');
    await alice.expect('<carol> hello from udp');
    const fromAlice = bob.lines.items.filter((line) => line.startsWith('<alice>'));
    assert.deepEqual(
      fromAlice,
      Array.from({ length: 10 }, (_, i) => `<alice> line ${i}`),
      'the first ten (the flood-control burst), in order',
    );
  });

  it('joins the pieces of lines split anywhere, and takes several lines in one write', async (t) => {
    const { tcp } = await startRelay(t);
    const alice = await peer(t, tcp);
    const bob = await peer(t, tcp, 'bob');
    const bytes = Buffer.from('/join alice\nfirst ✓\nsecond\n', 'utf8');
    for (const byte of bytes) alice.write(Uint8Array.of(byte));
    await bob.expect('<alice> second');
    const bobSaw = bob.lines.items.filter((line) => line.startsWith('<alice>'));
    assert.deepEqual(bobSaw, ['<alice> first ✓', '<alice> second']);
    alice.write('third\nfourth\r\nfif');
    alice.write('th\n');
    await bob.expect('<alice> fifth');
  });

  it('refuses a line over the limit with a notice, never relays it, and goes on', async (t) => {
    const { tcp } = await startRelay(t);
    const alice = await peer(t, tcp, 'alice');
    const bob = await peer(t, tcp, 'bob');
    alice.write('y'.repeat(3 * MAX));
    alice.write(`${'y'.repeat(MAX)}\nafter the giant\n`);
    await alice.expect(`*** line refused: more than ${MAX} bytes without a newline ***`);
    await bob.expect('<alice> after the giant');
    assert.equal(
      bob.lines.items.some((line) => line.includes('yyyy')),
      false,
    );
  });

  it('answers invalid UTF-8 with the datagram refusal, as over UDP', async (t) => {
    const { tcp } = await startRelay(t);
    const alice = await peer(t, tcp, 'alice');
    alice.write(Uint8Array.of(0x68, 0xff, 0x69, 0x0a));
    await alice.expect('*** datagram refused: not valid UTF-8 ***');
  });

  it('asks an unjoined connection to join first', async (t) => {
    const { tcp } = await startRelay(t);
    const stranger = await peer(t, tcp);
    stranger.write('hello?\n');
    await stranger.expect('*** please /join <nickname> first ***');
  });

  it('takes a FIN as a departure: the others hear that the client left', async (t) => {
    const { tcp } = await startRelay(t);
    const alice = await peer(t, tcp, 'alice');
    const bob = await peer(t, tcp, 'bob');
    bob.socket.end();
    await alice.expect('*** bob left ***');
    await bob.closed;
  });

  it('takes a reset as a departure too', async (t) => {
    const { tcp } = await startRelay(t);
    const alice = await peer(t, tcp, 'alice');
    const bob = await peer(t, tcp, 'bob');
    bob.socket.resetAndDestroy();
    await alice.expect('*** bob left ***');
  });

  it('/leave ends the connection after the relay has said goodbye', async (t) => {
    const { tcp } = await startRelay(t);
    const alice = await peer(t, tcp, 'alice');
    const bob = await peer(t, tcp, 'bob');
    bob.write('/leave see you\n');
    await alice.expect('*** bob left (see you) ***');
    await bob.closed;
  });

  it('evicts a joined client that went silent (a half-open connection), and closes it', async (t) => {
    const { tcp } = await startRelay(t, 400);
    const alice = await peer(t, tcp, 'alice');
    const bob = await peer(t, tcp, 'bob');
    // Alice keeps talking; Bob says nothing, as a peer whose cable was pulled would.
    const keepAlive = setInterval(() => alice.write('/ping\n'), 100);
    t.after(() => clearInterval(keepAlive));
    await alice.expect('*** bob timed out ***', { timeoutMs: 10_000 });
    await bob.closed;
  });

  it('closes a connection that trickles bytes but never finishes a line (slowloris)', async (t) => {
    const { tcp } = await startRelay(t, 400);
    const slow = await peer(t, tcp);
    const trickle = setInterval(() => slow.write('a'), 50);
    t.after(() => clearInterval(trickle));
    await slow.closed;
    assert.deepEqual(slow.lines.items, ['*** disconnected: no line for too long ***']);
  });

  it('says goodbye to TCP clients when the relay stops', async (t) => {
    const { server, tcp } = await startRelay(t);
    const alice = await peer(t, tcp, 'alice');
    await server.stop();
    await alice.expect('*** server going down ***');
    await alice.closed;
  });
});

describe('TcpServer limits', () => {
  it('drops a client that does not read once its queue passes the budget, with a notice', async (t) => {
    let connection: StreamConnection | undefined;
    let ended = '';
    let markEnded: () => void = () => {};
    const endedNow = new Promise<void>((resolve) => {
      markEnded = resolve;
    });
    const server = await TcpServer.listen(
      { host: '127.0.0.1', port: 0, idleTimeoutMs: 30_000, maxQueuedBytes: 64 * 1024 },
      (c) => {
        connection = c;
        return {
          received: () => {},
          overlong: () => {},
          ended: (why) => {
            ended = why;
            markEnded();
          },
        };
      },
    );
    t.after(() => server.close());
    const reader = await TcpPeer.connect(server.local.port);
    t.after(() => reader.close());
    reader.socket.pause();
    while (connection === undefined) await new Promise((resolve) => setImmediate(resolve));
    const line = new TextEncoder().encode(`${'z'.repeat(999)}\n`);
    // Bounded: the kernel's buffers hold a few MB at most, then the queue grows until the budget trips.
    for (let i = 0; i < 20_000 && server.connectionCount > 0 && ended === ''; i++) {
      connection.write(line);
      if (i % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    reader.socket.resume();
    await Promise.all([reader.closed, endedNow]);
    assert.equal(ended, 'slow');
    assert.match(
      reader.lines.items.at(-1) ?? '',
      /^\*\*\* disconnected: \d+ bytes waiting for you to read them \*\*\*$/,
    );
  });

  it('refuses connections past its limit with a notice', async (t) => {
    const server = await TcpServer.listen(
      { host: '127.0.0.1', port: 0, idleTimeoutMs: 30_000, maxConnections: 1 },
      () => ({ received: () => {}, overlong: () => {}, ended: () => {} }),
    );
    t.after(() => server.close());
    const first = await TcpPeer.connect(server.local.port);
    t.after(() => first.close());
    const second = await TcpPeer.connect(server.local.port);
    t.after(() => second.close());
    await second.closed;
    assert.deepEqual(second.lines.items, ['*** too many connections: try again later ***']);
  });
});
