/**
 * Three real `udpchat relay --cluster` processes on one real redis-server, with clients spread over
 * them: a seed-style v1 client (raw UDP lines) on one relay chats with a v2 ChatClient on another, in the
 * lobby and in a room; private lines, /who and /rooms cross relays; joins and leaves are told everywhere;
 * two relays racing for one nick give one winner; a relay killed with SIGKILL has its nicks and members
 * released within the documented bound; Redis stopped and restarted under traffic loses and repeats
 * nothing. Run `npm run build` first by hand.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_NODE_TTL_MS, HEARTBEATS_PER_TTL } from '../../src/relay/cluster-bus.ts';
import { RedisServer } from '../cluster/support/redis-server.ts';
import { clusterRelay, healthz, outputMark, waitForLog } from './support/cluster-relays.ts';
import { seedPeer } from './support/relay-process.ts';
import { UdpPeer } from './support/udp-peer.ts';
import { v2Client } from './support/v2-client.ts';

/** docs/CLUSTER.md: a dead relay's nicks and members are released within TTL + one heartbeat interval. */
const RELEASE_BOUND_MS = DEFAULT_NODE_TTL_MS + DEFAULT_NODE_TTL_MS / HEARTBEATS_PER_TTL;
const CROSS_RELAY_MS = 5_000;

describe('three relays on one Redis, end to end', { timeout: 120_000 }, () => {
  test('a seed client and a v2 client on two relays chat in the lobby and a room, with private lines, /who, /rooms, joins and leaves', async (t) => {
    const redis = await RedisServer.start(t);
    const a = await clusterRelay(t, redis, 'relay-a');
    const b = await clusterRelay(t, redis, 'relay-b');
    const c = await clusterRelay(t, redis, 'relay-c');

    const sid = await seedPeer(t, a, 'sid');
    const vera = await v2Client(t, b.port, 'vera', { events: [] });
    vera.client.on('private', (e) => vera.events.push(e));
    await sid.expect('*** vera joined ***\n', { timeoutMs: CROSS_RELAY_MS });

    sid.send('hello vera\n');
    const heard = await vera.events.waitFor((e) => e.type === 'chat' && e.text === 'hello vera', {
      timeoutMs: CROSS_RELAY_MS,
    });
    assert.equal(heard.type === 'chat' && heard.nick, 'sid');
    assert.equal(heard.type === 'chat' && heard.room, '#lobby');
    assert.ok(heard.type === 'chat' && typeof heard.id === 'number', 'a v2 client sees the cluster id');
    vera.client.say('hi sid');
    await sid.expect('<vera> hi sid\n', { timeoutMs: CROSS_RELAY_MS });

    vera.client.joinRoom('#ops');
    await vera.events.waitFor(
      (e) => e.type === 'notice' && e.text === 'you joined #ops; now talking in #ops',
    );
    sid.send('/join #ops\n');
    const members = await sid.lines.waitFor((l) => l.startsWith('[#ops] *** members: '), {
      timeoutMs: CROSS_RELAY_MS,
    });
    assert.match(members, /\bsid\b/);
    // vera's own relay confirms her join before the bus has applied it: a join on relay a at that moment
    // may list the room without her, and then hears her join (each relay is told every event, in order).
    if (!/\bvera\b/.test(members)) {
      await sid.lines.waitFor((l) => l === '[#ops] *** vera joined ***\n', { timeoutMs: CROSS_RELAY_MS });
    }
    sid.send('/who #ops\n');
    const who = await sid.lines.waitFor((l) => l.startsWith('[#ops] *** #ops: '), {
      timeoutMs: CROSS_RELAY_MS,
    });
    assert.match(who, /2 members/, 'relay a knows the other relay’s member');
    await vera.events.waitFor((e) => e.type === 'notice' && e.room === '#ops' && e.text === 'sid joined', {
      timeoutMs: CROSS_RELAY_MS,
    });
    sid.send('in ops\n');
    await vera.events.waitFor((e) => e.type === 'chat' && e.room === '#ops' && e.text === 'in ops', {
      timeoutMs: CROSS_RELAY_MS,
    });
    vera.client.say('ops reply');
    await sid.expect('[#ops] <vera> ops reply\n', { timeoutMs: CROSS_RELAY_MS });

    assert.equal(vera.client.msg('sid', 'psst').ok, true);
    await sid.expect('[msg] <vera> psst\n', { timeoutMs: CROSS_RELAY_MS });
    sid.send('/msg vera back at you\n');
    await vera.events.waitFor((e) => e.type === 'private' && e.nick === 'sid' && e.text === 'back at you', {
      timeoutMs: CROSS_RELAY_MS,
    });

    // A third relay's client: everyone in the lobby, the room only the others are in.
    const carl = await seedPeer(t, c, 'carl');
    await sid.expect('*** carl joined ***\n', { timeoutMs: CROSS_RELAY_MS });
    carl.send('/who\n');
    await carl.expect('*** #lobby: 3 members ***\n');
    // The lobby's first member in the whole cluster is its one operator, shown so on every relay.
    await carl.lines.waitFor((l) => /^\*\*\* carl idle \d+s \*\*\*\n$/.test(l));
    await carl.expect('*** @sid on relay relay-a ***\n');
    await carl.expect('*** vera on relay relay-b ***\n');
    carl.send('/rooms\n');
    await carl.expect('*** #ops (2 members) ***\n');
    await carl.expect('*** #lobby (3 members) ***\n');
    carl.send('/msg nobody hi\n');
    await carl.expect('*** no such nick: nobody ***\n');

    // Leaves: a part of one room, then a relay's client leaving the network.
    vera.client.part('#ops');
    await sid.expect('[#ops] *** vera left ***\n', { timeoutMs: CROSS_RELAY_MS });
    // A nick change is claimed for the cluster: a nick another relay's client holds is refused.
    vera.client.changeNick('SID');
    await vera.events.waitFor((e) => e.type === 'notice' && e.text === 'nickname SID is already in use', {
      timeoutMs: CROSS_RELAY_MS,
    });
    vera.client.changeNick('veronica');
    await vera.events.waitFor((e) => e.type === 'notice' && e.text === 'you are now known as veronica', {
      timeoutMs: CROSS_RELAY_MS,
    });
    // Told as a rename on every relay (the bus's rename event), not as a leave and a join.
    await sid.expect('*** vera is now known as veronica ***\n', { timeoutMs: CROSS_RELAY_MS });
    sid.send('/msg veronica renamed?\n');
    await vera.events.waitFor((e) => e.type === 'private' && e.text === 'renamed?', {
      timeoutMs: CROSS_RELAY_MS,
    });
    carl.send('/leave\n');
    await sid.expect('*** carl left ***\n', { timeoutMs: CROSS_RELAY_MS });
    const before = vera.events.items.length;
    await vera.events.waitFor((e) => e.type === 'notice' && e.text === 'carl left', {
      timeoutMs: CROSS_RELAY_MS,
      from: Math.max(0, before - 5),
    });
  });

  test('two clients claiming one nick (look-alikes) on two relays at once: one winner, one clear refusal', async (t) => {
    const redis = await RedisServer.start(t);
    const a = await clusterRelay(t, redis, 'relay-a');
    const b = await clusterRelay(t, redis, 'relay-b');
    for (let round = 0; round < 5; round++) {
      const one = await seedPeer(t, a);
      const two = await seedPeer(t, b);
      const nick = `racer${round}`;
      one.send(`/join ${nick}\n`);
      two.send(`/join ${nick.toUpperCase()}\n`);
      const answers = await Promise.all([firstAnswer(one), firstAnswer(two)]);
      const welcomed = answers.filter((line) => line.startsWith('*** welcome, '));
      const refused = answers.filter((line) => / is already in use \*\*\*\n$/.test(line));
      assert.equal(welcomed.length, 1, answers.join(''));
      assert.equal(refused.length, 1, answers.join(''));
    }
  });

  test('a relay killed with SIGKILL: its members time out everywhere and its nick is free again, within the bound', async (t) => {
    const redis = await RedisServer.start(t);
    const a = await clusterRelay(t, redis, 'relay-a');
    const c = await clusterRelay(t, redis, 'relay-c');
    const sid = await seedPeer(t, a, 'sid');
    await seedPeer(t, c, 'ghost');
    await sid.expect('*** ghost joined ***\n', { timeoutMs: CROSS_RELAY_MS });
    const again = await UdpPeer.connect(a.port);
    t.after(() => again.close());
    again.send('/join ghost\n');
    await again.expect('*** nickname ghost is already in use ***\n', { timeoutMs: CROSS_RELAY_MS });

    const killedAt = performance.now();
    assert.ok(c.process.pid !== undefined);
    process.kill(c.process.pid, 'SIGKILL');
    await sid.expect('*** ghost timed out ***\n', { timeoutMs: RELEASE_BOUND_MS + 5_000 });
    const released = performance.now() - killedAt;
    assert.ok(released <= RELEASE_BOUND_MS + 1_000, `released after ${Math.round(released)} ms`);
    again.send('/join ghost\n');
    await again.expect('*** welcome, ghost ***\n', { timeoutMs: CROSS_RELAY_MS });
  });

  test('Redis stopped and restarted under traffic: local service goes on, /healthz says degraded, every line arrives once and in order', async (t) => {
    const redis = await RedisServer.start(t, { persist: true });
    // Flood control off: the traffic is one client's 60 lines as fast as the relay answers them.
    const a = await clusterRelay(t, redis, 'relay-a', { metrics: true, extra: ['--line-rate', '0'] });
    const b = await clusterRelay(t, redis, 'relay-b');
    const sid = await seedPeer(t, a, 'sid');
    const sam = await seedPeer(t, a, 'sam');
    const vera = await v2Client(t, b.port, 'vera');
    await sid.expect('*** vera joined ***\n', { timeoutMs: CROSS_RELAY_MS });
    assert.deepEqual(await healthz(a), { status: 200, body: 'ok\n' });

    const LINES = 60;
    const expected = Array.from({ length: LINES }, (_, i) => `line ${i + 1}`);
    for (let i = 0; i < LINES; i++) {
      if (i === 20) {
        const mark = outputMark(a);
        await redis.stop();
        await waitForLog(a, 'cluster degraded', mark);
        const health = await healthz(a);
        assert.equal(health.status, 200, 'a degraded relay still serves');
        assert.match(health.body, /^degraded: cluster degraded: /);
      }
      if (i === 40) {
        const mark = outputMark(a);
        await redis.resume();
        await waitForLog(a, 'cluster connected', mark, 20_000);
      }
      sid.send(`${expected[i]}\n`);
      // While Redis is away, the relay's own clients are served at once.
      await sam.expect(`<sid> ${expected[i]}\n`, { timeoutMs: i < 20 ? CROSS_RELAY_MS : 2_000 });
    }
    await vera.events.waitFor((e) => e.type === 'chat' && e.text === `line ${LINES}`, { timeoutMs: 20_000 });
    assert.deepEqual(await healthz(a), { status: 200, body: 'ok\n' });
    const atVera = vera.events.items.flatMap((e) => (e.type === 'chat' && e.nick === 'sid' ? [e.text] : []));
    assert.deepEqual(atVera, expected, 'the other relay heard every line once, in order');
    const atSam = sam.lines.items.filter((l) => l.startsWith('<sid> '));
    assert.deepEqual(
      atSam,
      expected.map((line) => `<sid> ${line}\n`),
      'the local listener heard every line once',
    );
  });
});

/** The relay's first answer to a /join: a welcome or a refusal. */
function firstAnswer(peer: UdpPeer): Promise<string> {
  return peer.lines.waitFor((line) => line.startsWith('*** '), { timeoutMs: CROSS_RELAY_MS });
}
