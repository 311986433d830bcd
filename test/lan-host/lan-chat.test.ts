/**
 * LanChat over real sockets on loopback multicast: LanPeers in one process, each with its own socket
 * joined to one group, chatting through the kernel (IP_MULTICAST_IF 127.0.0.1, TTL 0).
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { LanChat, type LanChatEvents } from '../../src/lan-host/lan-chat.ts';
import { MulticastSocket } from '../../src/transport/multicast-socket.ts';
import { freshGroup, LOOPBACK } from '../support/multicast-group.ts';

/** A newcomer is present on its second datagram: heard mid-way, that can be the next periodic one (5 s). */
const WAIT_MS = 15_000;

function next<K extends keyof LanChatEvents>(
  chat: LanChat,
  name: K,
  test: (event: LanChatEvents[K]) => boolean = () => true,
): Promise<LanChatEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${String(name)} event within ${WAIT_MS} ms`));
    }, WAIT_MS);
    const off = chat.on(name, (event) => {
      if (!test(event)) return;
      clearTimeout(timer);
      off();
      resolve(event);
    });
  });
}

async function open(
  t: TestContext,
  nick: string,
  group = freshGroup(),
  passphrase: string | null = null,
): Promise<LanChat> {
  const chat = await LanChat.open({ nick, group, interfaceAddress: LOOPBACK, ttl: 0, passphrase });
  t.after(() => chat.close());
  return chat;
}

describe('LanChat on loopback multicast', () => {
  it('two peers see each other arrive, chat, and see a leave', async (t) => {
    const group = freshGroup();
    const alice = await open(t, 'alice', group);
    const aliceSeesBob = next(alice, 'joined', (e) => e.nick === 'bob');
    const bob = await open(t, 'bob', group);
    const bobSeesAlice = next(bob, 'joined', (e) => e.nick === 'alice');
    await Promise.all([aliceSeesBob, bobSeesAlice]);

    const heard = next(bob, 'line');
    assert.equal(alice.say('hello over multicast'), null);
    const line = await heard;
    assert.equal(line.nick, 'alice');
    assert.equal(line.text, 'hello over multicast');
    assert.equal(line.id.senderId, alice.senderId);

    const whoNames = bob.who().map((entry) => entry.shownAs);
    assert.deepEqual(whoNames, ['alice', 'bob']);
    assert.equal(bob.who().find((entry) => entry.nick === 'alice')?.address?.host, LOOPBACK);

    const left = next(bob, 'left');
    await alice.leave();
    assert.equal((await left).nick, 'alice');
    // Our own looped-back datagrams are dropped by sender id, never shown.
    assert.ok(alice.stats.own > 0, `own ${alice.stats.own}`);
  });

  it('with a group key, a peer with another passphrase reads nothing and is reported once', async (t) => {
    const group = freshGroup();
    const alice = await open(t, 'alice', group, 'right passphrase');
    const carol = await open(t, 'carol', group, 'right passphrase');
    const mallory = await open(t, 'mallory', group, 'wrong passphrase');
    const mismatch = next(mallory, 'key-mismatch');
    const heard = next(carol, 'line');
    let malloryLines = 0;
    mallory.on('line', () => {
      malloryLines++;
    });
    assert.equal(alice.say('for the group only'), null);
    assert.equal((await heard).text, 'for the group only');
    assert.equal((await mismatch).theirs, 'other-key');
    assert.equal(malloryLines, 0);
  });

  it('refuses a line it will not send, without sending anything', async (t) => {
    const alice = await open(t, 'alice');
    await alice.flush();
    const before = alice.transportStats.datagramsOut;
    assert.equal(alice.say('x'.repeat(1_025))?.code, 'too-long');
    assert.equal(alice.say('')?.code, 'empty');
    await alice.flush();
    assert.equal(alice.transportStats.datagramsOut, before);
  });

  it('a socket refuses a group that is not multicast', async () => {
    await assert.rejects(
      MulticastSocket.open({ group: { host: '10.0.0.1', port: 9999 }, interfaceAddress: null, ttl: 1 }),
      /not an IPv4 multicast group/,
    );
  });
});
