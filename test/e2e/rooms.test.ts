/**
 * Rooms, private messages, nick changes, moderation and server keep-alive through the real `udpchat relay`
 * process, with real `udpchat chat` processes, the ChatClient library and raw peers speaking the seed's
 * lines. Run `npm run build` first by hand.
 */
import assert from 'node:assert/strict';
import { describe, type TestContext, test } from 'node:test';
import type { ClientEvent } from '../../src/client/events.ts';
import { ChatClient } from '../../src/client-host/chat-client.ts';
import { CliProcess } from './support/cli-process.ts';
import { Collector } from './support/collector.ts';
import { type RunningRelay, seedPeer, startRelay } from './support/relay-process.ts';

async function chat(t: TestContext, relay: RunningRelay, nick: string): Promise<CliProcess> {
  const child = CliProcess.cli(['chat', nick, '127.0.0.1', String(relay.port)], { name: nick });
  t.after(() => child.stop());
  await child.waitForLine(`*** welcome, ${nick} ***`);
  return child;
}

/** A ChatClient whose events are collected so a test can await them. */
async function library(
  t: TestContext,
  relay: RunningRelay,
  nick: string,
): Promise<{ client: ChatClient; events: Collector<ClientEvent> }> {
  const client = await ChatClient.connect({ nick, host: '127.0.0.1', port: relay.port });
  const events = new Collector<ClientEvent>(nick);
  for (const name of ['welcome', 'chat', 'action', 'private', 'notice', 'line'] as const) {
    client.on(name, (e) => events.push(e));
  }
  t.after(async () => {
    await client.leave();
    await client.close();
  });
  await events.waitFor((e) => e.type === 'welcome');
  return { client, events };
}

describe('rooms and private messages, end to end', () => {
  test('two clients chat in a room and switch rooms; a seed client in the lobby sees only lobby lines', async (t) => {
    const relay = await startRelay(t);
    const seed = await seedPeer(t, relay, 'seedy');
    const alice = await chat(t, relay, 'alice');
    const bob = await chat(t, relay, 'bob');
    alice.writeLine('/join #rust');
    await alice.waitForLine('[#rust] *** you joined #rust; now talking in #rust ***');
    bob.writeLine('/join #rust');
    await alice.waitForLine('[#rust] *** bob joined ***');
    await bob.waitForLine('[#rust] *** members: @alice, bob ***');
    alice.writeLine('fearless concurrency');
    await bob.waitForLine('[#rust] <alice> fearless concurrency');
    bob.writeLine('/switch #lobby');
    await bob.waitForLine('*** now talking in #lobby ***');
    bob.writeLine('hi seedy');
    await seed.expect('<bob> hi seedy\n');
    seed.send('hi bob\n');
    await bob.waitForLine('<seedy> hi bob');
    await alice.waitForLine('<seedy> hi bob');
    assert.ok(
      !seed.lines.items.some((l) => l.includes('#rust') || l.includes('fearless')),
      seed.lines.items.join(''),
    );
  });

  test('private messages, actions, nick changes and /who through the ChatClient library', async (t) => {
    const relay = await startRelay(t);
    const alice = await library(t, relay, 'alice');
    const bob = await library(t, relay, 'bob');
    assert.equal(alice.client.msg('bob', 'psst').ok, true);
    const dm = await bob.events.waitFor((e) => e.type === 'private');
    assert.deepEqual(dm, {
      type: 'private',
      nick: 'alice',
      text: 'psst',
      action: false,
      line: '[msg] <alice> psst',
    });
    alice.client.msg('nobody', 'hello?');
    await alice.events.waitFor((e) => e.type === 'notice' && e.text === 'no such nick: nobody');
    bob.client.me('waves');
    await alice.events.waitFor((e) => e.type === 'action' && e.nick === 'bob' && e.text === 'waves');
    bob.client.changeNick('robert');
    await bob.events.waitFor((e) => e.type === 'notice' && e.text === 'you are now known as robert');
    await alice.events.waitFor((e) => e.type === 'notice' && e.text === 'bob is now known as robert');
    assert.equal(bob.client.nick, 'robert');
    bob.client.away('lunch');
    alice.client.who();
    await alice.events.waitFor((e) => e.type === 'notice' && /^robert idle \d+s away: lunch$/.test(e.text));
    assert.equal(alice.client.msg('two words', 'x').ok, false, 'a nick with a space is refused locally');
  });

  test('an operator kicks, bans and makes a room invite-only', async (t) => {
    const relay = await startRelay(t);
    const op = await library(t, relay, 'op');
    const friend = await library(t, relay, 'friend');
    // An unregistered nick is banned by source host, so the pest comes from a host of its own.
    const pest = await seedPeer(t, relay, 'pest', '127.0.0.2');
    op.client.joinRoom('#club');
    await op.events.waitFor((e) => e.type === 'notice' && e.text === 'members: @op');
    pest.send('/join #club\n');
    await op.events.waitFor((e) => e.type === 'notice' && e.text === 'pest joined');
    pest.send('/kick #club op\n');
    await pest.expect('*** you are not an operator of #club ***\n');
    op.client.kick('#club', 'pest', 'spam');
    await pest.expect('[#club] *** pest was kicked by op (spam) ***\n');
    op.client.ban('#club', 'pest');
    await op.events.waitFor((e) => e.type === 'notice' && e.text === 'op banned pest');
    pest.send('/join #club\n');
    await pest.expect('*** you are banned from #club ***\n');
    op.client.mode('#club', '+i');
    await op.events.waitFor((e) => e.type === 'notice' && e.text === 'op made #club invite-only (+i)');
    friend.client.joinRoom('#club');
    await friend.events.waitFor((e) => e.type === 'notice' && e.text === '#club is invite-only');
    op.client.invite('friend', '#club');
    await friend.events.waitFor((e) => e.type === 'notice' && e.text === 'op invites you to #club');
    friend.client.joinRoom('#club');
    await op.events.waitFor((e) => e.type === 'notice' && e.room === '#club' && e.text === 'friend joined');
  });

  test('/help lists the relay’s commands', async (t) => {
    const relay = await startRelay(t);
    const seed = await seedPeer(t, relay, 'curious');
    seed.send('/help\n');
    await seed.expect('*** /help: this list ***\n');
    for (const name of ['join', 'part', 'msg', 'nick', 'who', 'away', 'kick', 'ban', 'invite', 'kill']) {
      assert.ok(
        seed.lines.items.some((l) => l.startsWith(`*** /${name}`)),
        name,
      );
    }
  });
});

describe('server-driven keep-alive, end to end', () => {
  test('a silent seed client is pinged and evicted; our client answers the pings and stays', async (t) => {
    const relay = await startRelay(t, [
      '--keepalive',
      'server',
      '--keepalive-interval',
      '0.4',
      '--keepalive-timeout',
      '0.2',
      '--keepalive-misses',
      '3',
    ]);
    const silent = await seedPeer(t, relay, 'silent');
    const ours = await chat(t, relay, 'ours');
    await silent.expect('/ping\n', { timeoutMs: 3_000 });
    await ours.waitForLine('*** silent timed out ***', { timeoutMs: 5_000 });
    const pings = silent.lines.items.filter((l) => l === '/ping\n').length;
    assert.equal(pings, 3, 'three unanswered pings before eviction');
    // Long after several keep-alive intervals, ours is still there: a line from it is relayed.
    const witness = await seedPeer(t, relay, 'witness');
    ours.writeLine('still here');
    await witness.expect('<ours> still here\n');
    assert.ok(!ours.stdout.items.includes('/ping'), 'the relay’s pings are never shown');
  });
});
