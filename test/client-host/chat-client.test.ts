/** ChatClient over real UDP sockets on 127.0.0.1: proves the binding (the session's logic is tested sans I/O). */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { describe, type TestContext, test } from 'node:test';
import {
  ChatClient,
  type ChatClientEvents,
  type ChatClientOptions,
} from '../../src/client-host/chat-client.ts';
import { ReferenceRelay } from '../e2e/support/reference-relay.ts';

const WAIT_MS = 3_000;

/** Resolves with the next `name` event, or rejects after `timeoutMs`. */
function nextEvent<K extends keyof ChatClientEvents>(
  client: ChatClient,
  name: K,
  timeoutMs = WAIT_MS,
): Promise<ChatClientEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${String(name)} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = client.on(name, (payload) => {
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

async function startRelay(t: TestContext): Promise<ReferenceRelay> {
  const relay = await ReferenceRelay.start();
  t.after(() => relay.stop());
  return relay;
}

async function connect(t: TestContext, options: ChatClientOptions): Promise<ChatClient> {
  const client = await ChatClient.connect(options);
  t.after(() => client.close());
  return client;
}

/** A UDP socket on 127.0.0.1 that answers nothing unless told to: a relay that went away. */
async function mute(t: TestContext): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  t.after(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return socket;
}

describe('ChatClient', () => {
  test('connects by host name, is welcomed, and two clients chat', async (t) => {
    const relay = await startRelay(t);
    const alice = await connect(t, { nick: 'alice', host: 'localhost', port: relay.port });
    assert.equal(alice.relay.host, '127.0.0.1', 'localhost resolves to IPv4 first, like the seed client');
    assert.deepEqual(await nextEvent(alice, 'welcome'), {
      type: 'welcome',
      nick: 'alice',
      line: '*** welcome, alice ***',
    });
    const bob = await connect(t, { nick: 'bob', host: '127.0.0.1', port: relay.port });
    await nextEvent(bob, 'welcome');
    const heard = nextEvent(bob, 'chat');
    assert.deepEqual(alice.say('hello'), { ok: true });
    assert.deepEqual(await heard, {
      type: 'chat',
      room: '#lobby',
      nick: 'alice',
      text: 'hello',
      line: '<alice> hello',
    });
  });

  test('datagrams from anyone but the relay are ignored', async (t) => {
    const relay = await startRelay(t);
    const alice = await connect(t, { nick: 'alice', host: '127.0.0.1', port: relay.port });
    await nextEvent(alice, 'welcome');
    const seen: string[] = [];
    alice.on('chat', (e) => seen.push(e.line));
    const stranger = await mute(t);
    // On loopback a sent datagram is queued at the receiver before the send callback runs, so the stranger's
    // line is ahead of the relay's marker: the marker arriving alone proves the stranger's was dropped.
    await new Promise<void>((resolve) =>
      stranger.send('<mallory> trust me\n', alice.local.port, '127.0.0.1', () => resolve()),
    );
    const marker = nextEvent(alice, 'chat');
    relay.inject({ host: '127.0.0.1', port: alice.local.port }, '<bob> marker');
    await marker;
    assert.deepEqual(seen, ['<bob> marker']);
  });

  test('the timer sends /ping and the /pong is silent', async (t) => {
    const relay = await startRelay(t);
    const lines: string[] = [];
    const alice = await connect(t, {
      nick: 'alice',
      host: '127.0.0.1',
      port: relay.port,
      session: { pingIntervalMs: 20 },
    });
    alice.on('line', (e) => lines.push(e.line));
    alice.on('notice', (e) => lines.push(e.line));
    await nextEvent(alice, 'welcome');
    await relay.received.waitFor((r) => r.line === '/ping', { timeoutMs: WAIT_MS });
    await relay.received.waitFor((r) => r.line === '/ping', {
      from: relay.received.items.length,
      timeoutMs: WAIT_MS,
    });
    assert.deepEqual(lines, []);
  });

  test('a silent relay gets a warning and, when it speaks again, an answering event', async (t) => {
    const silentRelay = await mute(t);
    const client = await connect(t, {
      nick: 'alice',
      host: '127.0.0.1',
      port: silentRelay.address().port,
      session: { silenceWarningMs: 50, joinRetryMs: 60_000 },
    });
    const silent = await nextEvent(client, 'silent');
    assert.equal(silent.seconds, 0);
    const answering = nextEvent(client, 'answering');
    silentRelay.send('*** welcome, alice ***\n', client.local.port, '127.0.0.1');
    assert.equal((await answering).type, 'answering');
    assert.equal(client.state, 'joined');
  });

  test('when no /join is answered the client reports an error value', async (t) => {
    const silentRelay = await mute(t);
    const client = await connect(t, {
      nick: 'alice',
      host: '127.0.0.1',
      port: silentRelay.address().port,
      session: { joinRetryMs: 10, joinAttempts: 3 },
    });
    const error = await nextEvent(client, 'error');
    assert.equal(error.code, 'unanswered');
    assert.equal(error.attempts, 3);
    assert.match(error.message, /no answer from the relay at 127\.0\.0\.1:\d+ \(sent \/join 3 times\)/);
  });

  test('leave() resolves once /leave is sent; close() is idempotent and silences the client', async (t) => {
    const relay = await startRelay(t);
    const alice = await connect(t, { nick: 'alice', host: '127.0.0.1', port: relay.port });
    await nextEvent(alice, 'welcome');
    await alice.leave();
    await relay.received.waitFor((r) => r.line === '/leave', { timeoutMs: WAIT_MS });
    assert.equal(alice.state, 'left');
    await alice.close();
    await alice.close();
    assert.deepEqual(alice.say('late'), {
      ok: false,
      error: { code: 'inactive', message: 'not connected to the relay (left)' },
    });
  });

  test('a relay port outside 1-65535 is refused before any socket is opened', async () => {
    await assert.rejects(ChatClient.connect({ nick: 'alice', host: '127.0.0.1', port: 0 }), RangeError);
    await assert.rejects(ChatClient.connect({ nick: 'alice', host: '127.0.0.1', port: 70_000 }), RangeError);
  });
});
