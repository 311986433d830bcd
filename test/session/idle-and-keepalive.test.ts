/**
 * Issue 17, points 2 and 3: an idle v2 session is closed with CLOSE 1 and reported to the core as timed
 * out; the ACCEPT advertises whole-millisecond timers whose keep-alive is at most a third of the idle
 * timeout, and a client following them is never evicted; a timeout the field cannot carry is refused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Address } from '../../src/protocol/address.ts';
import type { V2ClientConnection } from '../../src/session/client-connection.ts';
import { V2RelayEndpoint } from '../../src/session/relay-endpoint.ts';
import { RELAY, seededRandom, V2Net, type Wire } from './v2-harness.ts';

const ALICE: Address = { host: '127.0.0.1', port: 40001 };

function fromAlice(wire: Wire): boolean {
  return wire.from.host === ALICE.host && wire.from.port === ALICE.port;
}

/** The ACCEPT's idle timeout and keep-alive (u32 ms at offsets 0 and 4 of its sealed parameters). */
function advertised(client: V2ClientConnection): { idleMs: number; keepAliveMs: number } {
  // The timers travel sealed in the ACCEPT: what the client opened is what the relay advertised.
  const terms = client.acceptTerms;
  assert.ok(terms, 'an ACCEPT was opened');
  return { idleMs: terms.idleTimeoutMs, keepAliveMs: terms.keepAliveMs };
}

describe('idle eviction of a v2 session says so', () => {
  it('sends the silent client CLOSE 1 and tells the core the session timed out', () => {
    const net = new V2Net();
    const { client, events } = net.addClient(ALICE, 7);
    net.advance(50);
    assert.equal(client.state, 'established');
    // The client's datagrams stop reaching the relay; the relay's still reach the client.
    net.drop = (w) => w.to === RELAY;
    net.advance(31_000, 100);
    assert.equal(net.relay.sessionCount, 0);
    assert.deepEqual(net.endReasons, ['timed out']);
    assert.equal(net.relay.stats.idleClosed, 1);
    const closes = net.log.filter((w) => w.from === RELAY && w.bytes[2] === 0x05);
    assert.equal(closes.length, 1);
    assert.equal(closes[0]?.bytes.byteLength, 32, 'sealed: the reason is not readable on the wire');
    // The client learns at once (the CLOSE verifies) and seeks a new session.
    assert.ok(events.some((e) => e.type === 'session-lost' && e.reconnecting));
  });

  it('a CLOSE from the client is reported as a departure, not a timeout', () => {
    const net = new V2Net();
    const { client } = net.addClient(ALICE, 7);
    net.advance(50);
    net.fromClient(ALICE, client.close(net.now));
    assert.deepEqual(net.endReasons, ['left']);
  });
});

describe('the keep-alive fits the idle timeout, and clients follow the ACCEPT', () => {
  for (const [idle, keepAlive] of [
    [30_000, 10_000],
    [2_000, 666],
    [2_500, 833],
    [1_000.9, 333],
    [3, 1],
    [2 ** 32 - 1, 10_000],
  ] as const) {
    it(`an idle timeout of ${idle} ms advertises ${Math.floor(idle)} ms and a keep-alive of ${keepAlive} ms`, () => {
      const net = new V2Net(1, { idleTimeoutMs: idle });
      const { client } = net.addClient(ALICE, 7);
      assert.deepEqual(advertised(client), { idleMs: Math.floor(idle), keepAliveMs: keepAlive });
      assert.ok(keepAlive * 3 <= Math.floor(idle));
    });
  }

  it('with a 2 s idle timeout a silent client stays up for a minute, pinging every 666 ms', () => {
    const net = new V2Net(1, { idleTimeoutMs: 2_000 });
    const { client, events } = net.addClient(ALICE, 7);
    net.advance(60_000, 10);
    assert.equal(client.state, 'established');
    assert.equal(net.relay.sessionCount, 1);
    assert.deepEqual(net.endReasons, []);
    assert.deepEqual(
      events.map((e) => e.type),
      ['established'],
    );
    const pings = net.log.filter((w) => fromAlice(w) && w.bytes[2] === 0x04);
    // 60 s / 666 ms is 90 keep-alives (each a DATA with a PING); never the old fixed 10 s.
    assert.ok(pings.length >= 85 && pings.length <= 95, `${pings.length} DATA`);
  });

  it('a client whose own interval is longer still pings within a third of the idle timeout', () => {
    const net = new V2Net(1, { idleTimeoutMs: 3_000 });
    const { client } = net.addClient(ALICE, 7, { keepAliveMs: 60_000 });
    net.advance(50);
    const before = net.log.filter((w) => fromAlice(w)).length;
    net.advance(1_001, 1);
    assert.equal(net.log.filter((w) => fromAlice(w)).length, before + 1, 'one keep-alive at 1 s');
    assert.equal(client.state, 'established');
  });

  it('an idle timeout the ACCEPT cannot carry is refused, not clamped', () => {
    const base = { random: seededRandom(1), maxSessions: 1, maxPerHost: 0 };
    for (const idleTimeoutMs of [0, 2, 2.9, 2 ** 32, 1e12, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => new V2RelayEndpoint({ ...base, idleTimeoutMs }), RangeError, String(idleTimeoutMs));
    }
    assert.equal(new V2RelayEndpoint({ ...base, idleTimeoutMs: 3 }).timers.keepAliveMs, 1);
  });
});
