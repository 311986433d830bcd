/**
 * Failover with real processes and real UDP on 127.0.0.1: two relay processes that share a resumption
 * key, v2 ChatClients given both; the first relay is killed with SIGKILL while alice talks. Alice and bob
 * resume on the second relay (same nick, same room), the lines the dead relay had acknowledged are not
 * said again, the others are said there once, and they chat on. Carol, on the second relay from the
 * start, hears what reached it. (The relays share no rooms or history without a cluster bus; a cluster's
 * relays share both, docs/CLUSTER.md.)
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, type TestContext, test } from 'node:test';
import { ChatClient, type ChatClientEvents } from '../../src/client-host/chat-client.ts';
import { INTERACTIVE_IDLE_PROBE_MS } from '../../src/session/liveness.ts';
import { CliProcess } from './support/cli-process.ts';
import { Collector } from './support/collector.ts';
import { waitUntil } from './support/wait-until.ts';

const KEY = randomBytes(32).toString('hex');
const PACE_MS = 300;

interface KeyedRelay {
  readonly process: CliProcess;
  readonly port: number;
}

async function startKeyedRelay(t: TestContext, name: string): Promise<KeyedRelay> {
  const relay = CliProcess.spawn(process.execPath, ['--import', 'tsx', 'test/e2e/support/keyed-relay.ts'], {
    name,
    env: { ...process.env, UDPCHAT_TEST_RESUMPTION_KEY: KEY },
  });
  t.after(() => relay.stop());
  const line = await relay.waitForLine(/^relay listening on udp\/\d+$/, { timeoutMs: 15_000 });
  return { process: relay, port: Number(line.split('/')[1]) };
}

interface Member {
  readonly client: ChatClient;
  /** `nick: text` of every chat line shown in #ops. */
  readonly heard: Collector<string>;
  readonly moved: ChatClientEvents['moved'][];
  readonly movedAt: number[];
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
  client.on('chat', (e) => {
    if (e.room === '#ops') heard.push(`${e.nick}: ${e.text}`);
  });
  client.on('welcome', () => events.push('welcome'));
  client.on('rooms', (e) => events.push(`rooms ${e.rooms.join(' ')}`));
  client.on('moved', (e) => {
    m.moved.push(e);
    m.movedAt.push(performance.now());
    events.push('moved');
  });
  return m;
}

const inOps = (m: Member): boolean => m.client.state === 'joined' && m.client.rooms.rooms.includes('#ops');

describe('failover between relay processes that share a resumption key', () => {
  test('kill -9 of a relay under traffic: its v2 clients resume on the other, nothing lost', async (t) => {
    const a = await startKeyedRelay(t, 'relay A');
    const b = await startKeyedRelay(t, 'relay B');
    const alice = await member(t, 'alice', [a.port, b.port]);
    const bob = await member(t, 'bob', [a.port, b.port]);
    const carol = await member(t, 'carol', [b.port]);
    const all = [alice, bob, carol];
    const sources = all.flatMap((m) => [m.heard, m.events]);
    await waitUntil(() => all.every((m) => m.client.state === 'joined'), sources, {
      timeoutMs: 10_000,
      describe: () => all.map((m) => m.client.state).join(', '),
    });
    for (const m of all) m.client.joinRoom('#ops');
    await waitUntil(() => all.every(inOps), sources, { timeoutMs: 5_000, describe: () => 'all in #ops' });

    // Acknowledged by relay A: those acked before the move. (A carried-over line acknowledged by relay B
    // reports the id say() first gave it, so every line said ends up acked, each by one relay.)
    const acked = new Set<number>();
    const ackedAnywhere = new Set<number>();
    alice.client.on('acked', (e) => {
      ackedAnywhere.add(e.id);
      if (alice.moved.length === 0) acked.add(e.id);
    });
    const said: { text: string; id: number | undefined }[] = [];
    let killedAt = 0;
    for (let i = 1; i <= 30; i++) {
      const result = alice.client.say(`line ${i}`);
      assert.equal(result.ok, true);
      said.push({ text: `line ${i}`, id: result.ok ? result.id : undefined });
      if (i === 15) {
        a.process.kill('SIGKILL');
        killedAt = performance.now();
      }
      // Traffic at a person's pace (under the relay's flood control), not a wait for a condition.
      await new Promise((resolve) => setTimeout(resolve, PACE_MS));
    }
    const killed = await a.process.exited;
    assert.equal(killed.signal, 'SIGKILL');
    await waitUntil(() => alice.moved.length === 1 && bob.moved.length === 1, sources, {
      timeoutMs: 15_000,
      describe: () => `moved: alice ${alice.moved.length}, bob ${bob.moved.length}`,
    });
    const unacked = said.filter((s) => s.id !== undefined && s.id < 2 ** 32 && !acked.has(s.id));
    // Acknowledged by relay A (ids of the first session; a move's new session numbers on from 2^32).
    const ackedTexts = said
      .filter((s) => s.id !== undefined && s.id < 2 ** 32 && acked.has(s.id))
      .map((s) => s.text);
    assert.ok(
      ackedTexts.length >= 10,
      `relay A acknowledged the lines before its death (${ackedTexts.length})`,
    );
    assert.ok(unacked.length >= 1, 'the kill left lines unacknowledged');
    const expectedOnB = said.map((s) => s.text).filter((text) => !ackedTexts.includes(text));
    await waitUntil(
      () => expectedOnB.every((text) => carol.heard.items.includes(`alice: ${text}`)),
      sources,
      {
        timeoutMs: 15_000,
        describe: () => `carol heard ${carol.heard.items.join(' | ')}; expected ${expectedOnB.join(', ')}`,
      },
    );

    for (const m of [alice, bob]) {
      const took = Math.round((m.movedAt[0] ?? Number.NaN) - killedAt);
      t.diagnostic(`${m.client.nick}: relay killed to resumed in ${took} ms`);
      assert.equal(m.moved[0]?.resumed, true, `${m.client.nick} resumed`);
      assert.equal(m.moved[0]?.to, `127.0.0.1:${b.port}`);
      assert.ok(inOps(m), `${m.client.nick} is back in #ops`);
    }
    assert.equal(alice.client.nick, 'alice');
    assert.equal(alice.moved[0]?.resent, unacked.length, 'the unacknowledged lines were said again');
    const onA = bob.heard.items.filter((l) => l.startsWith('alice: line '));
    for (const text of ackedTexts)
      assert.ok(onA.includes(`alice: ${text}`), `${text} reached bob on relay A`);
    const onB = carol.heard.items.filter((l) => l.startsWith('alice: line '));
    assert.deepEqual(
      onB.filter((l) => ackedTexts.includes(l.slice('alice: '.length))),
      [],
      'no acknowledged line was said again',
    );
    assert.equal(new Set(onB).size, onB.length, 'nothing twice on relay B');

    await waitUntil(() => said.every((s) => s.id !== undefined && ackedAnywhere.has(s.id)), sources, {
      timeoutMs: 5_000,
      describe: () =>
        `not acked: ${said
          .filter((s) => s.id === undefined || !ackedAnywhere.has(s.id))
          .map((s) => s.text)
          .join(', ')}`,
    });

    alice.client.say('after the move');
    await waitUntil(() => bob.heard.items.includes('alice: after the move'), sources, {
      timeoutMs: 5_000,
      describe: () => `bob heard ${bob.heard.items.slice(-3).join(' | ')}`,
    });
    for (const m of all) await m.client.leave();
  });
});
