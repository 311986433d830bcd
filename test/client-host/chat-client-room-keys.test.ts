/**
 * ChatClient.setRoomKey against the seed's relay on 127.0.0.1 (the lobby is a room like any other): while
 * scrypt runs, nothing is said in the room, in clear or otherwise; a key forgotten meanwhile is not held.
 */
import assert from 'node:assert/strict';
import { describe, type TestContext, test } from 'node:test';
import { ChatClient } from '../../src/client-host/chat-client.ts';
import { ReferenceRelay } from '../e2e/support/reference-relay.ts';

async function joined(t: TestContext): Promise<{ relay: ReferenceRelay; client: ChatClient }> {
  const relay = await ReferenceRelay.start();
  t.after(() => relay.stop());
  const client = await ChatClient.connect({
    nick: 'alice',
    host: '127.0.0.1',
    port: relay.port,
    protocol: 'v1',
  });
  t.after(() => client.close());
  await new Promise<void>((resolve) => client.on('welcome', () => resolve()));
  return { relay, client };
}

describe('ChatClient.setRoomKey', () => {
  test('lines said while the key is derived are refused, the first after it is sealed', async (t) => {
    const { relay, client } = await joined(t);
    const setting = client.setRoomKey('#lobby', 'correct horse');
    assert.equal(client.sealsIn('#lobby'), true);
    const early = client.say('too early');
    assert.equal(early.ok ? '' : early.error.code, 'key-pending');
    assert.match(await setting, /^[0-9a-f]{8}$/);
    assert.deepEqual(client.say('in time'), { ok: true });
    const received = await relay.received.waitFor(
      (r) => r.line !== '/join alice' && !r.line.startsWith('/ping'),
    );
    assert.match(received.line, /^\[e2e\] [A-Za-z0-9_-]+$/);
    assert.equal(
      relay.received.items.some((r) => r.line.includes('too early')),
      false,
    );
  });

  test('a key forgotten while it is derived is not held: lines go in clear, as asked', async (t) => {
    const { relay, client } = await joined(t);
    const setting = client.setRoomKey('#lobby', 'correct horse');
    assert.equal(client.forgetRoomKey('#lobby'), true);
    await assert.rejects(setting, /the key for #lobby was forgotten or set again meanwhile/);
    assert.equal(client.sealsIn('#lobby'), false);
    client.say('plain words');
    await relay.received.waitFor((r) => r.line === 'plain words');
  });

  test('an empty passphrase is refused and leaves the room as it was', async (t) => {
    const { client } = await joined(t);
    await assert.rejects(client.setRoomKey('#lobby', ''), /a passphrase cannot be empty/);
    assert.equal(client.sealsIn('#lobby'), false);
    assert.deepEqual(client.say('still clear'), { ok: true });
  });
});
