/**
 * v2 sessions through the real relay process: a client whose source port changes mid-conversation keeps
 * its nick and loses no line, and `--strict` refuses unvalidated v1 clients entirely.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startRelay } from './support/relay-process.ts';
import { UdpPeer } from './support/udp-peer.ts';
import { v2Client } from './support/v2-client.ts';

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
