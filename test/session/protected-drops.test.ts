/**
 * Bad input on an established wire-3 session (docs/PROTOCOL-v2.md, sections 6 and 14): a truncated,
 * bit-flipped, replayed, too-old or cross-session datagram is dropped without a reply and counted under
 * its reason, on the relay and on the client alike; a datagram re-ordered within the window is not bad
 * input and still delivers in order. Then a seeded, bounded fuzz of the decrypt path on both sides.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Address } from '../../src/protocol/address.ts';
import { RELAY, seededRandom, V2Net, type Wire } from './v2-harness.ts';

const ALICE: Address = { host: '127.0.0.1', port: 40001 };
const BOB: Address = { host: '127.0.0.1', port: 40002 };
const fromAlice = (w: Wire): boolean => w.from.port === ALICE.port && w.to === RELAY;

function setUp(): { net: V2Net; alice: ReturnType<V2Net['addClient']>; bob: ReturnType<V2Net['addClient']> } {
  const net = new V2Net();
  const alice = net.addClient(ALICE, 7);
  const bob = net.addClient(BOB, 8);
  net.advance(50);
  assert.equal(alice.client.state, 'established');
  assert.equal(bob.client.state, 'established');
  return { net, alice, bob };
}

/** Alice says `text`; returns the DATA that carried it, as it crossed the wire. */
function said(net: V2Net, alice: ReturnType<V2Net['addClient']>, text: string): Uint8Array {
  const before = net.log.length;
  net.fromClient(ALICE, alice.client.send(net.now, text).out);
  const data = net.log.slice(before).find((w) => fromAlice(w) && w.bytes[2] === 0x04);
  assert.ok(data, 'alice sent a DATA');
  return data.bytes;
}

/** What the relay answered to `bytes` injected from `from`: nothing, for every case below. */
function answers(net: V2Net, from: Address, bytes: Uint8Array): Wire[] {
  const before = net.log.length;
  net.inject(from, bytes);
  return net.log.slice(before + 1).filter((w) => w.to.port === from.port);
}

const flip = (bytes: Uint8Array, at: number): Uint8Array => {
  const copy = Uint8Array.from(bytes);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
};

describe('bad input on a protected session is dropped, unanswered and counted', () => {
  it('a bit flipped in the header, the ciphertext or the tag: auth', () => {
    const { net, alice } = setUp();
    const data = said(net, alice, 'genuine');
    const lines = net.relayLines.length;
    const before = net.relay.stats.authFailed;
    // Offsets 1 and 2 (version, type) and 3..10 (session id) route elsewhere; every other byte is authenticated.
    const offsets = [11, 14, 15, 20, data.byteLength - 17, data.byteLength - 16, data.byteLength - 1];
    for (const at of offsets) assert.deepEqual(answers(net, ALICE, flip(data, at)), [], `offset ${at}`);
    assert.equal(net.relay.stats.authFailed - before, offsets.length);
    assert.equal(net.relayLines.length, lines, 'no line injected');
    assert.equal(net.relay.sessionCount, 2);
  });

  it('truncated: shorter than a DATA is malformed; cut inside the ciphertext, it fails to open', () => {
    const { net, alice } = setUp();
    const data = said(net, alice, 'a line long enough to cut');
    const { malformed, authFailed } = net.relay.stats;
    assert.deepEqual(answers(net, ALICE, data.subarray(0, 38)), []);
    assert.deepEqual(answers(net, ALICE, data.subarray(0, data.byteLength - 1)), []);
    assert.deepEqual(answers(net, ALICE, data.subarray(0, 45)), []);
    assert.equal(net.relay.stats.malformed - malformed, 1);
    assert.equal(net.relay.stats.authFailed - authFailed, 2);
  });

  it('replayed, or older than the 1,024-number window: replay', () => {
    const { net, alice } = setUp();
    const first = said(net, alice, 'first');
    const before = net.relay.stats.replayed;
    assert.deepEqual(answers(net, ALICE, first), []);
    assert.equal(net.relay.stats.replayed - before, 1);
    assert.deepEqual(
      net.relayLines.map((l) => l.line),
      ['first'],
    );
  });

  it('re-ordered within the window is delivered, in order', () => {
    const { net, alice } = setUp();
    net.drop = fromAlice;
    const one = said(net, alice, 'one');
    const two = said(net, alice, 'two');
    net.drop = () => false;
    net.inject(ALICE, two);
    net.inject(ALICE, one);
    assert.deepEqual(
      net.relayLines.map((l) => l.line),
      ['one', 'two'],
    );
  });

  it("another session's datagram under this session's id: auth, and the other session is untouched", () => {
    const { net, alice, bob } = setUp();
    const fromBob = (() => {
      const before = net.log.length;
      net.fromClient(BOB, bob.client.send(net.now, 'bob here').out);
      const data = net.log.slice(before).find((w) => w.from.port === BOB.port && w.bytes[2] === 0x04);
      assert.ok(data);
      return data.bytes;
    })();
    const aliceId = said(net, alice, 'alice here').subarray(3, 11);
    const crossed = Uint8Array.from(fromBob);
    crossed.set(aliceId, 3);
    const before = net.relay.stats.authFailed;
    assert.deepEqual(answers(net, ALICE, crossed), []);
    assert.equal(net.relay.stats.authFailed - before, 1);
    assert.deepEqual(net.relayLines.map((l) => l.line).sort(), ['alice here', 'bob here']);
  });

  it('a datagram reflected back to its sender does not open (the directions have their own keys)', () => {
    const { net, alice } = setUp();
    const data = said(net, alice, 'echo me');
    const drops = { ...alice.client.dropped.session };
    net.fromClient(ALICE, alice.client.handle(net.now, data));
    assert.equal((alice.client.dropped.session.auth ?? 0) - (drops.auth ?? 0), 1);
  });

  it("the client drops and counts the relay's datagrams flipped, cut or replayed, and answers none", () => {
    const { net, alice } = setUp();
    const before = net.log.length;
    said(net, alice, 'echo this');
    const reply = net.log.slice(before).find((w) => w.to.port === ALICE.port && w.bytes[2] === 0x04);
    assert.ok(reply);
    const events = alice.events.length;
    for (const bad of [
      flip(reply.bytes, 20),
      reply.bytes.subarray(0, reply.bytes.byteLength - 3),
      reply.bytes,
    ]) {
      assert.deepEqual(alice.client.handle(net.now, bad), { datagrams: [], events: [] });
    }
    assert.equal(alice.events.length, events);
    assert.equal(alice.client.dropped.session.auth, 2);
    assert.equal(alice.client.dropped.session.replay, 1);
  });
});

describe('fuzzing the decrypt path (seeded, bounded)', () => {
  /** Deterministic mutations: flip, cut, extend, overwrite a run, or splice two datagrams. */
  function mutate(draw: (n: number) => Uint8Array, samples: readonly Uint8Array[]): Uint8Array {
    const pick = (n: number): number => (draw(1)[0] ?? 0) % n;
    const base = samples[pick(samples.length)] ?? new Uint8Array();
    const copy = Uint8Array.from(base);
    switch (pick(5)) {
      case 0:
        for (let i = 0, n = 1 + pick(4); i < n; i++) {
          const at = pick(copy.length);
          copy[at] = (copy[at] ?? 0) ^ (1 << pick(8));
        }
        return copy;
      case 1:
        return copy.subarray(0, pick(copy.length));
      case 2:
        return Uint8Array.from([...copy, ...draw(1 + pick(40))]);
      case 3: {
        const at = pick(copy.length);
        copy.set(draw(Math.min(copy.length - at, 1 + pick(16))), at);
        return copy;
      }
      default: {
        const other = samples[pick(samples.length)] ?? base;
        const cut = pick(Math.min(copy.length, other.length));
        return Uint8Array.from([...copy.subarray(0, cut), ...other.subarray(cut)]);
      }
    }
  }

  it('2,000 mutated datagrams to the relay and to the client: nothing throws, opens, or is answered but a REJECT 4', () => {
    const { net, alice } = setUp();
    for (let i = 0; i < 5; i++) said(net, alice, `sample ${i}`);
    net.advance(100);
    const toRelay = net.log.filter((w) => w.to === RELAY && w.bytes[1] === 0x03).map((w) => w.bytes);
    const toAlice = net.log
      .filter((w) => w.to.port === ALICE.port && w.bytes[1] === 0x03)
      .map((w) => w.bytes);
    const lines = net.relayLines.length;
    const aliceEvents = alice.events.length;
    const draw = seededRandom(2026);
    const stranger: Address = { host: '127.0.0.99', port: 9 };
    for (let i = 0; i < 2_000; i++) {
      const bytes = mutate(draw, toRelay);
      for (const reply of answers(net, stranger, bytes)) {
        // A mutation that made a HELLO of it is answered as a HELLO (RETRY or REJECT, at most 3x); otherwise
        // only a DATA or RESPONSE whose session id became an unknown one gets an answer: REJECT 4.
        if (bytes[2] === 0x01) assert.ok(reply.bytes.byteLength <= 3 * bytes.byteLength);
        else assert.deepEqual([reply.bytes[2], reply.bytes[11]], [0x08, 4], 'REJECT 4');
      }
      assert.deepEqual(alice.client.handle(net.now, mutate(draw, toAlice)).datagrams, []);
    }
    assert.equal(net.relayLines.length, lines, 'no mutated datagram delivered a line');
    assert.equal(net.relay.sessionCount, 2, 'nor ended or moved a session');
    assert.equal(net.relay.stats.migrations, 0);
    assert.equal(alice.events.length, aliceEvents, 'the client saw nothing happen');
    assert.equal(alice.client.state, 'established');
  });
});
