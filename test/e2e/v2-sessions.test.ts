/**
 * v2 sessions through the real relay process: a client whose source port changes mid-conversation keeps
 * its nick and loses no line, and `--strict` refuses unvalidated v1 clients entirely.
 */
import assert from 'node:assert/strict';
import { describe, type TestContext, test } from 'node:test';
import type { ClientEvent } from '../../src/client/events.ts';
import { ChatClient } from '../../src/client-host/chat-client.ts';
import { Collector } from './support/collector.ts';
import { startRelay } from './support/relay-process.ts';
import { UdpPeer } from './support/udp-peer.ts';

async function v2Client(
  t: TestContext,
  port: number,
  nick: string,
): Promise<{ client: ChatClient; events: Collector<ClientEvent> }> {
  const client = await ChatClient.connect({ nick, host: '127.0.0.1', port, protocol: 'v2' });
  const events = new Collector<ClientEvent>(nick);
  for (const name of ['welcome', 'chat', 'notice', 'line'] as const) client.on(name, (e) => events.push(e));
  t.after(async () => {
    await client.leave();
    await client.close();
  });
  await events.waitFor((e) => e.type === 'welcome');
  assert.equal(client.protocol, 'v2');
  return { client, events };
}

describe('v2 sessions, end to end', () => {
  test('a client whose source port changes mid-conversation keeps its nick and loses no line', async (t) => {
    const { port } = await startRelay(t, ['--line-rate', '0']);
    const alice = await v2Client(t, port, 'alice');
    const bob = await v2Client(t, port, 'bob');
    const before = alice.client.local.port;
    for (let i = 0; i < 10; i++) alice.client.say(`line ${i}`);
    await bob.events.waitFor((e) => e.type === 'chat' && e.text === 'line 9');
    await alice.client.rebind();
    assert.notEqual(alice.client.local.port, before, 'a new source port');
    for (let i = 10; i < 20; i++) alice.client.say(`line ${i}`);
    await bob.events.waitFor((e) => e.type === 'chat' && e.text === 'line 19', { timeoutMs: 10_000 });
    const heard = bob.events.items.flatMap((e) => (e.type === 'chat' ? [e.text] : []));
    assert.deepEqual(
      heard,
      Array.from({ length: 20 }, (_, i) => `line ${i}`),
    );
    assert.ok(
      !bob.events.items.some((e) => e.type === 'notice' && /alice (left|joined|timed out)/.test(e.text)),
      'no ghost and no rejoin',
    );
    bob.client.say('still there, alice?');
    await alice.events.waitFor((e) => e.type === 'chat' && e.text === 'still there, alice?');
  });

  test('--strict refuses v1 clients entirely and still serves v2 clients', async (t) => {
    const { port } = await startRelay(t, ['--line-rate', '0', '--strict']);
    const v1 = await UdpPeer.connect(port);
    t.after(() => v1.close());
    v1.send('/join eve\n');
    v1.send('hello?\n');
    const alice = await v2Client(t, port, 'alice');
    alice.client.who();
    const header = await alice.events.waitFor((e) => e.type === 'notice' && e.text.startsWith('#lobby:'));
    assert.ok(header.type === 'notice' && header.text === '#lobby: 1 member', JSON.stringify(header));
    assert.deepEqual(v1.lines.items, [], 'a v1 client gets no answer at all');
  });
});
