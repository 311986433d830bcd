/**
 * Failover in a real cluster: two `udpchat relay --cluster` processes on one real redis-server, v2
 * ChatClients given both relays. Relay A is killed with SIGKILL while alice talks; alice and bob resume on
 * relay B with the same nicks (a takeover claim on Redis, before A's TTL has lapsed) and rooms. Carol, on
 * relay B from the start, hears through the cluster every line alice said, and every line the dead relay
 * had acknowledged exactly once; bob, who was on A, gets what he missed during the move from the cluster's
 * history. Run `npm run build` first by hand.
 */
import assert from 'node:assert/strict';
import { describe, type TestContext, test } from 'node:test';
import { ChatClient, type ChatClientEvents } from '../../src/client-host/chat-client.ts';
import { INTERACTIVE_IDLE_PROBE_MS } from '../../src/session/liveness.ts';
import { RedisServer } from '../cluster/support/redis-server.ts';
import { clusterRelay } from './support/cluster-relays.ts';
import { Collector } from './support/collector.ts';
import { waitUntil } from './support/wait-until.ts';

const ROOM = '#ops';
const LINES = 30;
const KILL_AFTER = 15;
const PACE_MS = 300;

interface Member {
  readonly client: ChatClient;
  /** Texts alice said that this member was shown in #ops, live or from history, in arrival order. */
  readonly heard: Collector<string>;
  readonly moved: ChatClientEvents['moved'][];
  readonly movedAt: number[];
  /** Each state change a wait may depend on (welcome, rooms, moves, acknowledgements). */
  readonly events: Collector<string>;
}

async function member(t: TestContext, nick: string, ports: readonly number[]): Promise<Member> {
  const [first = 0, ...rest] = ports;
  const client = await ChatClient.connect({
    nick,
    host: '127.0.0.1',
    port: first,
    failover: rest.map((port) => ({ host: '127.0.0.1', port })),
    protocol: 'v2',
    v2: { idleProbeMs: INTERACTIVE_IDLE_PROBE_MS },
  });
  t.after(() => client.close());
  const heard = new Collector<string>(`${nick} heard`);
  const events = new Collector<string>(`${nick} events`);
  const m: Member = { client, heard, moved: [], movedAt: [], events };
  client.on('welcome', () => events.push('welcome'));
  client.on('rooms', (e) => events.push(`rooms ${e.rooms.join(' ')}`));
  client.on('acked', (e) => events.push(`acked ${e.id}`));
  client.on('chat', (e) => {
    if (e.room === ROOM && e.nick === 'alice') heard.push(e.text);
  });
  client.on('history', (e) => {
    if (e.room === ROOM && e.nick === 'alice') heard.push(e.text);
  });
  client.on('moved', (e) => {
    m.moved.push(e);
    m.movedAt.push(performance.now());
    events.push('moved');
  });
  return m;
}

const inRoom = (m: Member): boolean => m.client.state === 'joined' && m.client.rooms.rooms.includes(ROOM);
const times = (items: readonly string[], text: string): number => items.filter((i) => i === text).length;

describe('failover in a cluster on Redis', { timeout: 120_000 }, () => {
  test('kill -9 of a relay under traffic: its v2 clients resume on another relay of the cluster, nothing lost', async (t) => {
    const redis = await RedisServer.start(t);
    const a = await clusterRelay(t, redis, 'relay-a');
    const b = await clusterRelay(t, redis, 'relay-b');
    const alice = await member(t, 'alice', [a.port, b.port]);
    const bob = await member(t, 'bob', [a.port, b.port]);
    const carol = await member(t, 'carol', [b.port]);
    const all = [alice, bob, carol];
    const sources = all.flatMap((m) => [m.heard, m.events]);
    await waitUntil(() => all.every((m) => m.client.state === 'joined'), sources, {
      timeoutMs: 15_000,
      describe: () => all.map((m) => m.client.state).join(', '),
    });
    for (const m of all) m.client.joinRoom(ROOM);
    await waitUntil(() => all.every(inRoom), sources, {
      timeoutMs: 10_000,
      describe: () => `all in ${ROOM}`,
    });

    // Relay A's acknowledgements: those before the move (a carried-over line relay B acknowledges reports
    // the id say() first gave it).
    const acked = new Set<number>();
    alice.client.on('acked', (e) => {
      if (alice.moved.length === 0) acked.add(e.id);
    });
    const said: { text: string; id: number | undefined }[] = [];
    let killedAt = 0;
    for (let i = 1; i <= LINES; i++) {
      const result = alice.client.say(`line ${i}`);
      assert.equal(result.ok, true, `line ${i} taken`);
      said.push({ text: `line ${i}`, id: result.ok ? result.id : undefined });
      if (i === KILL_AFTER) {
        a.process.kill('SIGKILL');
        killedAt = performance.now();
      }
      // Traffic at a person's pace (under the relay's flood control), not a wait for a condition.
      await new Promise((resolve) => setTimeout(resolve, PACE_MS));
    }
    assert.equal((await a.process.exited).signal, 'SIGKILL');
    await waitUntil(() => alice.moved.length === 1 && bob.moved.length === 1, sources, {
      timeoutMs: 15_000,
      describe: () => `moved: alice ${alice.moved.length}, bob ${bob.moved.length}`,
    });
    for (const m of [alice, bob]) {
      t.diagnostic(
        `${m.client.nick}: relay killed to resumed in ${Math.round((m.movedAt[0] ?? 0) - killedAt)} ms`,
      );
      assert.equal(m.moved[0]?.resumed, true, `${m.client.nick} resumed (not a plain join)`);
      assert.equal(m.moved[0]?.to, `127.0.0.1:${b.port}`);
    }
    await waitUntil(() => [alice, bob].every(inRoom), sources, {
      timeoutMs: 10_000,
      describe: () => `rooms: alice ${alice.client.rooms.rooms}, bob ${bob.client.rooms.rooms}`,
    });
    assert.equal(alice.client.nick, 'alice', 'the same nick, taken over from the dead relay');
    assert.equal(bob.client.nick, 'bob');

    // Ids of the first session (a move's new session numbers on from 2^32).
    const ackedTexts = said
      .filter((s) => s.id !== undefined && s.id < 2 ** 32 && acked.has(s.id))
      .map((s) => s.text);
    assert.ok(
      ackedTexts.length >= KILL_AFTER - 5,
      `relay A acknowledged lines before its death (${ackedTexts.length})`,
    );
    const texts = said.map((s) => s.text);
    for (const m of [carol, bob])
      await waitUntil(() => texts.every((text) => m.heard.items.includes(text)), sources, {
        timeoutMs: 20_000,
        describe: () =>
          `${m.client.nick} misses ${texts.filter((x) => !m.heard.items.includes(x)).join(', ')}`,
      });
    for (const text of ackedTexts) assert.equal(times(carol.heard.items, text), 1, `carol: ${text} once`);
    for (const text of ackedTexts) assert.equal(times(bob.heard.items, text), 1, `bob: ${text} once`);
    const twice = texts.filter((text) => times(carol.heard.items, text) > 1);
    t.diagnostic(
      `unacknowledged lines said again: ${alice.moved[0]?.resent}; shown twice to carol: ${twice.length}`,
    );

    alice.client.say('after the move');
    await waitUntil(
      () => carol.heard.items.includes('after the move') && bob.heard.items.includes('after the move'),
      sources,
      {
        timeoutMs: 5_000,
        describe: () => 'the chat goes on on relay B',
      },
    );
    for (const m of all) await m.client.leave();
  });
});
