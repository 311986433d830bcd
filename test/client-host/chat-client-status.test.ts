/** ChatClient's status API over real sockets: ping() and the rtt event, connection(), reconnecting to a new relay. */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { describe, type TestContext, test } from 'node:test';
import { ChatClient, type ChatClientEvents } from '../../src/client-host/chat-client.ts';
import { ReferenceRelay } from '../e2e/support/reference-relay.ts';

const WAIT_MS = 3_000;

function nextEvent<K extends keyof ChatClientEvents>(
  client: ChatClient,
  name: K,
): Promise<ChatClientEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${String(name)} event within ${WAIT_MS} ms`)),
      WAIT_MS,
    );
    const off = client.on(name, (payload) => {
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

async function relay(t: TestContext): Promise<ReferenceRelay> {
  const started = await ReferenceRelay.start();
  t.after(() => started.stop());
  return started;
}

/** A relay that can be told to go quiet: it welcomes any /join and answers /ping, unless muted. */
async function flakyRelay(t: TestContext): Promise<{ port: number; mute(on: boolean): void }> {
  const socket = dgram.createSocket('udp4');
  let muted = false;
  socket.on('message', (bytes, from) => {
    const line = bytes.toString('utf8').trimEnd();
    const answer = line.startsWith('/join ')
      ? `*** welcome, ${line.slice(6)} ***\n`
      : line === '/ping'
        ? '/pong\n'
        : null;
    if (!muted && answer !== null) socket.send(answer, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  t.after(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return {
    port: socket.address().port,
    mute: (on) => {
      muted = on;
    },
  };
}

describe('ChatClient status', () => {
  test('ping() is answered with an rtt event; connection() reports it', async (t) => {
    const reference = await relay(t);
    const client = await ChatClient.connect({ nick: 'alice', host: '127.0.0.1', port: reference.port });
    t.after(() => client.close());
    await nextEvent(client, 'welcome');
    assert.equal(client.ping().ok, true);
    const { ms } = await nextEvent(client, 'rtt');
    assert.ok(ms >= 0 && ms < WAIT_MS);
    const status = client.connection();
    assert.equal(status.state, 'joined');
    assert.equal(status.rttMs, ms);
    assert.equal(status.overdue, false);
  });

  test('with reconnect, a client whose relay went quiet joins a relay that answers again', async (t) => {
    const flaky = await flakyRelay(t);
    const client = await ChatClient.connect({
      nick: 'alice',
      host: '127.0.0.1',
      port: flaky.port,
      session: { pingIntervalMs: 50, reconnect: { answerTimeoutMs: 30, probes: 2, baseMs: 20, maxMs: 40 } },
    });
    t.after(() => client.close());
    await nextEvent(client, 'welcome');
    flaky.mute(true);
    const reconnecting = await nextEvent(client, 'reconnecting');
    assert.equal(reconnecting.reason, 'no-answer');
    assert.equal(client.connection().state, 'reconnecting');
    flaky.mute(false);
    const reconnected = await nextEvent(client, 'reconnected');
    assert.deepEqual(reconnected, { type: 'reconnected', nick: 'alice', rooms: [] });
    assert.equal(client.state, 'joined');
  });
});
