/**
 * The relay's web listener through real sockets: the page with its security headers, the WebSocket's Origin
 * check and subprotocols, acknowledgements, limits, and WebSocket clients meeting TCP clients in one room.
 * Needs the built page (npm run build).
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it, type TestContext } from 'node:test';
import { RelayServer } from '../../src/relay-host/relay-server.ts';
import { TcpPeer } from '../support/tcp-peer.ts';
import { WsPeer } from '../support/ws-peer.ts';

interface Running {
  readonly server: RelayServer;
  readonly origin: string;
  readonly socketUrl: string;
  readonly tcp: number;
}

async function start(t: TestContext, origins: readonly string[] = []): Promise<Running> {
  const server = await RelayServer.start({
    host: '127.0.0.1',
    port: 0,
    relay: { lineBurst: 3, lineRate: 1 },
    streams: { tcpPort: 0, web: { host: '127.0.0.1', port: 0, origins } },
  });
  t.after(() => server.stop());
  const origin = (server.webUrl ?? '').replace(/\/$/, '');
  return {
    server,
    origin,
    socketUrl: `${origin.replace('http', 'ws')}/chat`,
    tcp: server.tcpAddress?.port ?? 0,
  };
}

function get(
  url: string,
  method = 'GET',
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

async function wsPeer(t: TestContext, running: Running, protocol = 'udpchat-v1-ack'): Promise<WsPeer> {
  const peer = await WsPeer.open(running.socketUrl, [protocol], running.origin);
  t.after(() => peer.close());
  return peer;
}

describe('the web listener', () => {
  it('serves the built page with a strict Content-Security-Policy, and nothing else', async (t) => {
    const { origin } = await start(t);
    const page = await get(`${origin}/`);
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    const csp = String(page.headers['content-security-policy']);
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "connect-src 'self'",
      "frame-ancestors 'none'",
    ])
      assert.ok(csp.includes(directive), csp);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.match(page.body, /<script type="module" src="app\.js"><\/script>/);
    assert.doesNotMatch(page.body, /style=|<script>/, 'no inline script or style');
    assert.equal((await get(`${origin}/app.js`)).status, 200);
    assert.equal((await get(`${origin}/../package.json`)).status, 404);
    assert.equal((await get(`${origin}/src/web/app.ts`)).status, 404);
    assert.equal((await get(`${origin}/`, 'POST')).status, 405);
  });

  it('acknowledges each tagged message once the relay has handled it', async (t) => {
    const running = await start(t);
    const alice = await wsPeer(t, running);
    alice.send('@id=0 /join alice');
    await alice.expect('*** welcome, alice ***');
    await alice.expect('@ack=0');
    const bob = await TcpPeer.connect(running.tcp);
    t.after(() => bob.close());
    await bob.join('bob');
    alice.send('@id=1 @bob hello from the web');
    await alice.expect('@ack=1');
    await bob.expect('<alice> @bob hello from the web');
    bob.write('hi alice\n');
    await alice.expect('<bob> hi alice');
    const order = alice.messages.items;
    assert.ok(
      order.indexOf('*** welcome, alice ***') < order.indexOf('@ack=0'),
      'the answer comes before the ack',
    );
  });

  it('says which messages the relay refused or dropped, and why', async (t) => {
    const running = await start(t);
    const alice = await wsPeer(t, running);
    alice.send('@id=0 /join alice');
    await alice.expect('@ack=0');
    alice.send('@id=1 /nosuchcommand');
    await alice.expect('@nak=1 unknown-command');
    // The burst is 3 lines: the fourth and fifth are dropped by flood control.
    for (let id = 2; id <= 6; id++) alice.send(`@id=${id} line ${id}`);
    await alice.expect('@nak=6 throttled');
    await alice.expect('*** you are sending too fast: line dropped ***');
  });

  it('speaks plain v1 lines without acknowledgements on udpchat-v1', async (t) => {
    const running = await start(t);
    const alice = await wsPeer(t, running, 'udpchat-v1');
    alice.send('/join alice');
    await alice.expect('*** welcome, alice ***');
    alice.send('/ping');
    await alice.expect('/pong');
    assert.equal(
      alice.messages.items.some((m) => m.startsWith('@')),
      false,
    );
  });

  it('refuses a WebSocket from another page origin, and takes one from an origin it was told of', async (t) => {
    const running = await start(t, ['https://chat.example.org']);
    await assert.rejects(
      WsPeer.open(running.socketUrl, ['udpchat-v1'], 'http://evil.example'),
      /refused: 403/,
    );
    await assert.rejects(
      WsPeer.open(running.socketUrl.replace('/chat', '/other'), ['udpchat-v1'], running.origin),
      /refused: 404/,
    );
    const proxied = await WsPeer.open(running.socketUrl, ['udpchat-v1'], 'https://chat.example.org');
    t.after(() => proxied.close());
    const local = await WsPeer.open(
      running.socketUrl,
      ['udpchat-v1'],
      running.origin.replace('127.0.0.1', 'localhost'),
    );
    t.after(() => local.close());
  });

  it('closes a connection that sends a frame over the size limit', async (t) => {
    const running = await start(t);
    const alice = await wsPeer(t, running);
    alice.send('x'.repeat(100_000));
    assert.equal(await alice.closed, 1009);
  });

  it('refuses a message over a datagram`s size, as over UDP', async (t) => {
    const running = await start(t);
    const alice = await wsPeer(t, running);
    alice.send('@id=0 /join alice');
    await alice.expect('@ack=0');
    alice.send(`@id=1 ${'y'.repeat(4_110)}`);
    await alice.expect('@nak=1 datagram-too-large');
  });

  it('takes a closed WebSocket as a departure', async (t) => {
    const running = await start(t);
    const bob = await TcpPeer.connect(running.tcp);
    t.after(() => bob.close());
    await bob.join('bob');
    const alice = await wsPeer(t, running);
    alice.send('@id=0 /join alice');
    await bob.expect('*** alice joined ***');
    alice.socket.close(1000);
    await bob.expect('*** alice left ***');
  });
});
