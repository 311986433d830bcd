/**
 * The multicast chaos proxy over real sockets on loopback multicast (IP_MULTICAST_IF 127.0.0.1, TTL 0):
 * what is said in the group it hears comes out, faulted and byte for byte, in the group it sends to, and
 * its own copies are never heard again.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { type FaultSettings, NO_FAULTS } from '../../src/chaos/fault-model.ts';
import { MulticastChaosProxy } from '../../src/chaos/multicast-chaos-proxy.ts';
import type { Address } from '../../src/protocol/address.ts';
import { MulticastSocket } from '../../src/transport/multicast-socket.ts';
import { freshGroup, LOOPBACK } from '../support/multicast-group.ts';
import { Recorder } from './recorder.ts';

interface Setup {
  readonly proxy: MulticastChaosProxy;
  /** Fault decisions, from the proxy's trace. */
  readonly decisions: Recorder<string>;
  /** What a peer listening on the proxy's target group hears. */
  readonly heard: Recorder<string>;
  /** Sends to the group the proxy hears. */
  readonly say: (text: string) => void;
}

function distinctGroups(): [Address, Address, Address] {
  const heard = freshGroup();
  const target = { host: heard.host, port: heard.port + 1 };
  const unused = { host: heard.host, port: heard.port + 2 };
  return [heard, target, unused];
}

async function setUp(t: TestContext, faults: Partial<FaultSettings>): Promise<Setup> {
  const [group, target, unused] = distinctGroups();
  const decisions = new Recorder<string>();
  const proxy = await MulticastChaosProxy.start(
    { group, target, interfaceAddress: LOOPBACK, ttl: 0, faults: { ...NO_FAULTS, ...faults }, seed: 1 },
    { trace: (line) => (line.startsWith('fault ') ? decisions.push(line) : undefined) },
  );
  t.after(() => proxy.stop());
  const listener = await MulticastSocket.open({
    group: unused,
    listenGroup: target,
    interfaceAddress: LOOPBACK,
    ttl: 0,
  });
  t.after(() => listener.close());
  const heard = new Recorder<string>();
  listener.onDatagram((_from, bytes) => heard.push(new TextDecoder().decode(bytes)));
  // The sender hears a group nobody sends to: a peer behind the proxy sends to one group, hears another.
  const sender = await MulticastSocket.open({
    group,
    listenGroup: unused,
    interfaceAddress: LOOPBACK,
    ttl: 0,
  });
  t.after(() => sender.close());
  return { proxy, decisions, heard, say: (text) => sender.send(new TextEncoder().encode(text)) };
}

describe('MulticastChaosProxy', () => {
  it('without faults, every datagram said in the group reaches the target group once, unchanged', async (t) => {
    const { proxy, heard, decisions, say } = await setUp(t, {});
    for (const text of ['one', 'two', 'three']) say(text);
    await heard.waitFor(3, 'copies');
    await decisions.waitFor(3, 'decisions');
    assert.deepEqual(heard.items.sort(), ['one', 'three', 'two']);
    assert.deepEqual(proxy.stats, { received: 3, forwarded: 3, dropped: 0, duplicated: 0, reordered: 0 });
  });

  it('with --dup 100% each datagram arrives twice, and the proxy never hears its own copies', async (t) => {
    const { proxy, heard, decisions, say } = await setUp(t, { duplicate: 1 });
    say('a');
    say('b');
    await heard.waitFor(4, 'copies');
    assert.deepEqual(heard.items.sort(), ['a', 'a', 'b', 'b']);
    // A copy heard again would be one more decision; the next datagram's decision comes after it would.
    say('c');
    await heard.waitFor(6, 'copies');
    assert.equal(decisions.items.length, 3, decisions.items.join('\n'));
    assert.equal(proxy.stats.received, 3);
    assert.equal(proxy.stats.duplicated, 3);
  });

  it('with --loss 100% nothing arrives, and each drop is counted', async (t) => {
    const { proxy, heard, decisions, say } = await setUp(t, { loss: 1 });
    say('gone');
    say('also gone');
    await decisions.waitFor(2, 'decisions');
    assert.ok(
      decisions.items.every((line) => line.endsWith(' drop')),
      decisions.items.join('\n'),
    );
    assert.equal(proxy.stats.dropped, 2);
    assert.equal(proxy.stats.forwarded, 0);
    assert.equal(heard.items.length, 0);
  });

  it('with --reorder 100% and a hold, a copy is held that long before it leaves', async (t) => {
    const { proxy, heard, decisions, say } = await setUp(t, { reorder: 1, reorderHoldMs: 40 });
    const start = performance.now();
    say('late');
    await heard.waitFor(1, 'copy');
    assert.ok(performance.now() - start >= 35, 'the hold delays the copy');
    await decisions.waitFor(1, 'decision');
    assert.match(decisions.items[0] ?? '', /^fault multicast 127\.0\.0\.1:\d+ 4B 40ms\(held\)$/);
    assert.equal(proxy.stats.reordered, 1);
  });
});
