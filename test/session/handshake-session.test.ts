import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Address } from '../../src/protocol/address.ts';
import { addressKey } from '../../src/protocol/address.ts';
import { fingerprint } from '../../src/protocol/v2/fingerprint.ts';
import { encodeHello3 } from '../../src/protocol/v2/protected-handshake.ts';
import { RelayIdentity } from '../../src/protocol/v2/relay-identity.ts';
import { V2ClientConnection } from '../../src/session/client-connection.ts';
import { RELAY, seededRandom, V2Net } from './v2-harness.ts';

const ALICE: Address = { host: '127.0.0.1', port: 40001 };
const VICTIM: Address = { host: '127.0.0.66', port: 5353 };

function established(net: V2Net, at: Address, seed = 7): ReturnType<V2Net['addClient']> {
  const entry = net.addClient(at, seed);
  net.advance(50);
  assert.equal(entry.client.state, 'established');
  return entry;
}

function delivered(events: ReturnType<V2Net['addClient']>['events']): string[] {
  return events.flatMap((e) =>
    e.type === 'delivered' ? e.items.flatMap((d) => (d.type === 'line' ? [d.text] : [])) : [],
  );
}

describe('v2 handshake and address validation', () => {
  it('probe, retry with a cookie, accept: the session is up after two round trips', () => {
    const net = new V2Net();
    const { events } = established(net, ALICE);
    assert.deepEqual(
      events.map((e) => e.type),
      ['established'],
    );
    const up = events[0];
    assert.ok(up?.type === 'established' && up.firstContact);
    assert.deepEqual(up.identityKey, net.relay.identity.publicKey);
    assert.equal(net.relay.sessionCount, 1);
    const sizes = net.log.map((w) => `${w.from === RELAY ? '<' : '>'}${w.bytes.byteLength}`);
    assert.deepEqual(sizes, ['>96', '<31', '>96', '<189']);
    assert.ok(
      net.log.every((w) => w.bytes[0] === 0xff && w.bytes[1] === 0x03),
      'every datagram is wire 3',
    );
  });

  it('a wire-2 relay refusing our HELLO (REJECT 1 in its own layout) makes an unpinned client fall back to v1', () => {
    const client = new V2ClientConnection({ random: seededRandom(7) });
    const hello = client.start(0).datagrams[0];
    assert.ok(hello);
    const refusal = Uint8Array.from([0xff, 0x02, 0x08, ...hello.subarray(3, 11), 0x01]);
    const out = client.handle(10, refusal);
    assert.equal(client.state, 'v1');
    assert.deepEqual(out.events, [{ type: 'fallback', reason: 'wire2-only' }]);
  });

  it('a pinned client told the same refuses instead: it never speaks v1 to a relay it pinned', () => {
    const net = new V2Net();
    const pinned = net.relay.identity.publicKey;
    const client = new V2ClientConnection({
      random: seededRandom(7),
      pinnedFingerprint: fingerprint(pinned),
    });
    const hello = client.start(0).datagrams[0];
    assert.ok(hello);
    const stranger = Uint8Array.from([0xff, 0x02, 0x08, ...new Uint8Array(8).fill(3), 0x01]);
    assert.deepEqual(client.handle(5, stranger).events, [], 'a refusal of another HELLO is ignored');
    const refusal = Uint8Array.from([0xff, 0x02, 0x08, ...hello.subarray(3, 11), 0x01]);
    const out = client.handle(10, refusal);
    assert.equal(client.state, 'closed');
    assert.deepEqual(out.events, [{ type: 'refused', refusal: { kind: 'wire2-only' } }]);
  });

  it('a relay that never answers makes the client fall back to v1 after its probes', () => {
    const client = new V2ClientConnection({ random: seededRandom(3) });
    let now = 0;
    const sent = client.start(now).datagrams.length;
    let fellBack = false;
    let probes = sent;
    while (now < 2_000 && !fellBack) {
      now += 50;
      const out = client.tick(now);
      probes += out.datagrams.length;
      fellBack = out.events.some((e) => e.type === 'fallback');
    }
    assert.ok(fellBack);
    assert.equal(probes, 3);
    assert.ok(now <= 1_000, `fell back at ${now} ms`);
  });

  it('a forged HELLO keeps no state and is answered with at most 3x its bytes', () => {
    const net = new V2Net();
    const hello = encodeHello3({
      nonce: new Uint8Array(8).fill(1),
      publicKey: new Uint8Array(32).fill(9),
      cookie: null,
      extensions: new Uint8Array(0),
    });
    for (let i = 0; i < 100; i++) net.inject(VICTIM, hello);
    assert.equal(net.relay.sessionCount, 0);
    const toVictim = net.log.filter((w) => w.to === VICTIM).reduce((n, w) => n + w.bytes.byteLength, 0);
    const fromVictim = net.log.filter((w) => w.from === VICTIM).reduce((n, w) => n + w.bytes.byteLength, 0);
    assert.ok(toVictim <= 3 * fromVictim, `${toVictim} bytes sent for ${fromVictim} received`);
  });

  it('a cookie minted for one address does not validate another', () => {
    const net = new V2Net();
    net.drop = (w) => w.to === RELAY && w.from === ALICE && w.bytes[2] === 0x01 && w.bytes[43] === 20;
    net.addClient(ALICE, 7); // its HELLO-with-cookie is dropped; replay that datagram from the victim
    const withCookie = net.log.find((w) => w.from === ALICE && w.bytes[2] === 0x01 && w.bytes[43] === 20);
    assert.ok(withCookie);
    net.drop = () => false;
    net.inject(VICTIM, withCookie.bytes);
    assert.equal(net.relay.sessionCount, 0);
  });

  it('never sends an unvalidated address more than 3x what it sent (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            host: fc.integer({ min: 2, max: 5 }),
            bytes: fc.uint8Array({ minLength: 1, maxLength: 200 }),
            v2: fc.boolean(),
            version: fc.constantFrom(0x02, 0x03, 0x04),
          }),
          {
            maxLength: 60,
          },
        ),
        (datagrams) => {
          const net = new V2Net();
          for (const d of datagrams) {
            const bytes = d.v2 ? Uint8Array.from([0xff, d.version, ...d.bytes]) : d.bytes;
            net.inject({ host: `127.0.0.${d.host}`, port: 1000 }, bytes);
          }
          const sent = new Map<string, number>();
          const received = new Map<string, number>();
          for (const w of net.log) {
            const key = addressKey(w.from === RELAY ? w.to : w.from);
            const map = w.from === RELAY ? sent : received;
            map.set(key, (map.get(key) ?? 0) + w.bytes.byteLength);
          }
          for (const [key, bytes] of sent) assert.ok(bytes <= 3 * (received.get(key) ?? 0), key);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('v2 sessions: reliable lines, replay, rebinding', () => {
  it('lines flow both ways in order', () => {
    const net = new V2Net();
    const { client, events } = established(net, ALICE);
    for (let i = 0; i < 20; i++) net.fromClient(ALICE, client.send(net.now, `line ${i}`).out);
    net.advance(200);
    assert.deepEqual(
      net.relayLines.map((l) => l.line),
      Array.from({ length: 20 }, (_, i) => `line ${i}`),
    );
    assert.deepEqual(
      delivered(events),
      Array.from({ length: 20 }, (_, i) => `echo line ${i}`),
    );
    assert.ok(events.filter((e) => e.type === 'acked').length === 20);
  });

  it('a replayed DATA is dropped: its line is not delivered twice', () => {
    const net = new V2Net();
    const { client } = established(net, ALICE);
    net.fromClient(ALICE, client.send(net.now, 'once').out);
    const data = net.log.filter((w) => w.from === ALICE && w.bytes[2] === 0x04).at(-1);
    assert.ok(data);
    net.inject(ALICE, data.bytes);
    net.inject({ host: '10.9.9.9', port: 1 }, data.bytes);
    net.advance(100);
    assert.deepEqual(
      net.relayLines.map((l) => l.line),
      ['once'],
    );
    assert.equal(
      net.relay.stats.challenges,
      0,
      'a replay from another address does not even start a path check',
    );
  });

  it('a datagram with a forged tag cannot inject a line or end the session', () => {
    const net = new V2Net();
    const { client } = established(net, ALICE);
    net.fromClient(ALICE, client.send(net.now, 'real').out);
    const data = net.log.filter((w) => w.from === ALICE && w.bytes[2] === 0x04).at(-1);
    assert.ok(data);
    const forged = Uint8Array.from(data.bytes);
    forged[11 + 3] = 0x7f; // a fresh packet number, but the tag no longer matches
    net.inject(VICTIM, forged);
    const close = Uint8Array.from(forged.subarray(0, 32));
    close[2] = 0x05;
    net.inject(VICTIM, close);
    net.advance(100);
    assert.deepEqual(
      net.relayLines.map((l) => l.line),
      ['real'],
    );
    assert.equal(net.relay.sessionCount, 1);
  });

  it('a client whose NAT rebinds keeps its session and loses no line', () => {
    const net = new V2Net();
    const { client, events } = established(net, ALICE);
    for (let i = 0; i < 5; i++) net.fromClient(ALICE, client.send(net.now, `before ${i}`).out);
    net.advance(100);
    const moved: Address = { host: '127.0.0.1', port: 47777 };
    net.move(ALICE, moved);
    for (let i = 0; i < 5; i++) net.fromClient(moved, client.send(net.now, `after ${i}`).out);
    net.advance(2_000);
    assert.equal(net.relay.stats.migrations, 1);
    assert.equal(net.relay.sessionCount, 1);
    assert.deepEqual(
      net.relayLines.map((l) => l.line),
      [
        ...Array.from({ length: 5 }, (_, i) => `before ${i}`),
        ...Array.from({ length: 5 }, (_, i) => `after ${i}`),
      ],
    );
    const echoes = delivered(events);
    assert.deepEqual(
      echoes.slice(-5),
      Array.from({ length: 5 }, (_, i) => `echo after ${i}`),
    );
  });

  it('a relay that lost the session but keeps its identity answers REJECT 4, and the client seeks a new one', () => {
    const identity = RelayIdentity.fromSeed(new Uint8Array(32).fill(0x42));
    const first = new V2Net(1, { identity });
    const { client } = established(first, ALICE);
    const second = new V2Net(2, { identity }); // "restarted": knows nothing of the session, same identity
    const out = client.send(first.now, 'hello?').out;
    const replies: Uint8Array[] = [];
    second.sink.datagram = (_to, bytes) => replies.push(bytes);
    for (const d of out.datagrams) second.relay.handle(0, ALICE, d, second.sink);
    assert.deepEqual(
      replies.map((r) => r.byteLength),
      [28],
    );
    const reaction = client.handle(first.now, replies[0] ?? new Uint8Array());
    // The line the lost session had in flight is reported failed before the loss, and a new session is sought.
    assert.deepEqual(
      reaction.events.map((e) => e.type),
      ['failed', 'session-lost'],
    );
    assert.equal(client.state, 'probing');
  });

  it('a REJECT 4 from a relay with another identity is ignored; the client finds the session lost by silence', () => {
    const first = new V2Net(1);
    const { client } = established(first, ALICE);
    const second = new V2Net(2); // restarted with a throwaway identity: its token for the session is another
    const replies: Uint8Array[] = [];
    second.sink.datagram = (_to, bytes) => replies.push(bytes);
    for (const d of client.send(first.now, 'hello?').out.datagrams)
      second.relay.handle(0, ALICE, d, second.sink);
    assert.equal(replies.length, 1);
    assert.deepEqual(client.handle(first.now, replies[0] ?? new Uint8Array()).events, []);
    assert.equal(client.state, 'established');
    assert.equal(client.rejectsIgnored, 1);
    // Nothing from the old relay opens any more: one idle timeout (the ACCEPT's 30 s) after it was last heard
    // (its ACCEPT, at 0) the client gives up on the session and starts a new handshake.
    const lostAt = 30_000 + 1;
    assert.equal(client.nextTimeout() !== null && (client.nextTimeout() ?? 0) <= lostAt, true);
    assert.deepEqual(
      client.tick(lostAt - 1).events.filter((e) => e.type === 'session-lost'),
      [],
    );
    const lost = client.tick(lostAt);
    assert.ok(lost.events.some((e) => e.type === 'session-lost' && e.reconnecting));
    assert.equal(client.state, 'probing');
  });

  it('a CLOSE from the client ends the session at the relay', () => {
    const net = new V2Net();
    const { client } = established(net, ALICE);
    net.fromClient(ALICE, client.close(net.now));
    assert.equal(net.relay.sessionCount, 0);
    assert.equal(net.ended.length, 1);
  });
});

describe('v2 relay timers', () => {
  it('a flush that starts a retransmission timer brings nextTimeout forward at once', () => {
    const net = new V2Net();
    const { client } = established(net, ALICE);
    const before = net.relay.nextTimeout();
    assert.ok(before !== null && before > net.now + 500, `quiet session due ${before} at ${net.now}`);
    net.fromClient(ALICE, client.send(net.now, 'ping me back').out);
    const due = net.relay.nextTimeout();
    assert.ok(due !== null && due > net.now && due <= net.now + 500, `due ${due} at ${net.now}`);
  });
});
