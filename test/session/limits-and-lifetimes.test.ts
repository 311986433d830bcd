/**
 * Issue 17, point 5: the limits and lifetimes of wire version 3 (docs/PROTOCOL-v2.md, sections 4.6, 6, 7, 11), each
 * through the session layer's public surface: lines per DATA, how far a packet number may jump and what
 * happens at the end of the numbers, spent HELLO nonces, small-order keys, ack delay and PING answers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Address } from '../../src/protocol/address.ts';
import { deriveSessionSecrets } from '../../src/protocol/v2/key-schedule.ts';
import { openPacket } from '../../src/protocol/v2/packet-protection.ts';
import { encodeHello3 } from '../../src/protocol/v2/protected-handshake.ts';
import { PROTECTED_REJECT_REASONS } from '../../src/protocol/v2/protected-packets.ts';
import { LAST_PACKET_NUMBER, SessionLink } from '../../src/session/session-link.ts';
import { RELAY, V2Net, type Wire } from './v2-harness.ts';

const ALICE: Address = { host: '127.0.0.1', port: 40001 };
const fromAlice = (w: Wire): boolean => w.from.host === ALICE.host && w.from.port === ALICE.port;
const SESSION = new Uint8Array(8).fill(0x5a);
const KEYS = deriveSessionSecrets(new Uint8Array(32).fill(7), new Uint8Array(32).fill(1));

function established(net: V2Net, options = {}): ReturnType<V2Net['addClient']> {
  const entry = net.addClient(ALICE, 7, options);
  net.advance(50);
  assert.equal(entry.client.state, 'established');
  return entry;
}

describe('LINE frames per DATA', () => {
  /** Queues `count` lines whose first transmissions are lost, so their retransmissions leave together. */
  function retransmittedTogether(
    net: V2Net,
    client: ReturnType<V2Net['addClient']>['client'],
    count: number,
  ) {
    net.drop = (w) => w.to === RELAY;
    for (let i = 0; i < count; i++) net.fromClient(ALICE, client.send(net.now, `line ${i}`).out);
    net.drop = () => false;
  }

  it("a client packs at most 8 lines, v1's limit per datagram, in one DATA", () => {
    const net = new V2Net();
    const batches: number[] = [];
    net.onLines = (_session, lines) => batches.push(lines.length);
    const { client } = established(net);
    retransmittedTogether(net, client, 20);
    net.advance(2_000);
    assert.equal(net.relayLines.length, 20);
    assert.deepEqual(batches, [8, 8, 4]);
  });

  it('the relay drops a DATA with 9 LINE frames whole and unacknowledged, and counts it', () => {
    const net = new V2Net();
    // A broken client that packs more than it may: its lines fail after their retransmissions.
    const { client, events } = established(net, { channel: { maxLinesPerData: 9, maxRetransmissions: 1 } });
    retransmittedTogether(net, client, 9);
    net.advance(5_000);
    assert.deepEqual(net.relayLines, []);
    assert.equal(net.relay.stats.tooManyLines, 1);
    assert.equal(events.filter((e) => e.type === 'acked').length, 0);
    assert.equal(events.filter((e) => e.type === 'failed').length, 9);
    assert.equal(net.relay.sessionCount, 1, 'the session itself stays');
  });
});

describe('packet numbers', () => {
  it('a number may jump any distance ahead; one at or below highest - 1,024 is then a replay', () => {
    const sender = new SessionLink('client', SESSION, KEYS, {}, 0);
    const far = new SessionLink('client', SESSION, KEYS, {}, 2 ** 31);
    const receiver = new SessionLink('relay', SESSION, KEYS);
    sender.channel.send('first');
    const [early] = sender.drain(0);
    far.channel.send('far ahead');
    const [ahead] = far.drain(0);
    assert.ok(early && ahead);
    assert.equal(
      receiver.receiveData(0, ahead).ok,
      true,
      'a jump of 2^31 is accepted: only the key holder makes one',
    );
    assert.deepEqual(receiver.receiveData(0, early), { ok: false, reason: 'replay' });
  });

  it('numbers never wrap: the last one is a CLOSE 4, and nothing is sealed after it', () => {
    const link = new SessionLink('client', SESSION, KEYS, {}, LAST_PACKET_NUMBER - 2);
    for (let i = 0; i < 5; i++) link.channel.send(`line ${i}`);
    link.channel.keepalive();
    const sent = link.drain(0);
    assert.equal(sent.length, 1, 'numbers 2^32-3 only: 2^32-2 and 2^32-1 are not DATA');
    assert.equal(link.exhausted, false);
    link.channel.keepalive();
    assert.equal(link.drain(1).length, 1);
    assert.equal(link.exhausted, true);
    link.channel.keepalive();
    assert.deepEqual(link.drain(2), []);
    const close = openPacket(link.sealClose(4), KEYS.clientToRelay);
    assert.ok(close.ok);
    assert.equal(close.header.type, 'close');
    assert.equal(close.header.packetNumber, LAST_PACKET_NUMBER);
    assert.deepEqual([...close.payload], [4], 'reason 4: renew');
    assert.throws(() => link.sealClose(0), RangeError);
  });

  it('a client whose numbers run out sends CLOSE 4 and starts a new handshake at once', () => {
    const net = new V2Net();
    const { client, events } = established(net, { firstPacketNumber: LAST_PACKET_NUMBER - 1 });
    net.fromClient(ALICE, client.send(net.now, 'last words').out);
    const close = net.log.filter((w) => fromAlice(w) && w.bytes[2] === 0x05);
    assert.equal(close.length, 1);
    assert.equal(close[0]?.bytes.byteLength, 32, 'a sealed CLOSE: its reason is not readable on the wire');
    assert.deepEqual(net.endReasons, ['left']);
    assert.ok(events.some((e) => e.type === 'session-lost' && e.reconnecting));
    net.advance(100);
    assert.equal(client.state, 'established', 'a new session, new keys, numbers from 0');
    assert.equal(net.relay.stats.accepts, 2);
  });

  it('a relay whose numbers for a session run out closes it with CLOSE 4; the client comes back', () => {
    const net = new V2Net(1, { firstPacketNumber: LAST_PACKET_NUMBER - 1 });
    const { client, events } = established(net);
    net.fromClient(ALICE, client.send(net.now, 'echo me').out);
    const close = net.log.filter((w) => w.from === RELAY && w.bytes[2] === 0x05);
    assert.equal(close.length, 1);
    assert.equal(close[0]?.bytes.byteLength, 32);
    // A CLOSE 3 (killed) would leave the client closed: reconnecting at once is what reason 4 asks for.
    assert.ok(events.some((e) => e.type === 'session-lost' && e.reconnecting));
  });
});

describe('HELLO lifetimes and keys', () => {
  it('a repeated HELLO gets the same ACCEPT while its session lives, and opens nothing after a CLOSE', () => {
    const net = new V2Net();
    const { client } = established(net);
    const hello = net.log.filter((w) => fromAlice(w) && w.bytes[2] === 0x01).at(-1);
    const accept = net.log.find((w) => w.from === RELAY && w.bytes[2] === 0x03);
    assert.ok(hello && accept);
    const before = net.log.length;
    net.inject(ALICE, hello.bytes);
    assert.deepEqual(net.log.at(-1)?.bytes, accept.bytes, 'the same ACCEPT bytes');
    net.fromClient(ALICE, client.close(net.now));
    assert.equal(net.relay.sessionCount, 0);
    const afterClose = net.log.length;
    net.now += 20_000; // the cookie is still valid (its slot or the next)
    net.inject(ALICE, hello.bytes);
    assert.equal(net.relay.sessionCount, 0);
    assert.equal(net.log.length, afterClose + 1, 'dropped, unanswered');
    assert.ok(before < afterClose);
  });

  it('an all-zero (small-order) client key gets REJECT 5, with or without a cookie', () => {
    const net = new V2Net();
    for (const cookie of [null, new Uint8Array(20)]) {
      net.inject(
        ALICE,
        encodeHello3({
          nonce: new Uint8Array(8).fill(3),
          publicKey: new Uint8Array(32),
          cookie,
          extensions: new Uint8Array(0),
        }),
      );
      const answer = net.log.at(-1);
      assert.ok(answer && answer.from === RELAY);
      assert.deepEqual(
        [...answer.bytes],
        [0xff, 0x03, 0x08, 3, 3, 3, 3, 3, 3, 3, 3, PROTECTED_REJECT_REASONS.badKey],
      );
    }
    assert.equal(net.relay.sessionCount, 0);
    assert.equal(net.relay.stats.retries, 0);
  });

  it('a client told REJECT 5 for its own HELLO stops instead of retrying', () => {
    const net = new V2Net();
    net.drop = (w) => w.from === RELAY;
    const { client, events } = net.addClient(ALICE, 7);
    const hello = net.log.find(fromAlice);
    assert.ok(hello);
    const reject = Uint8Array.from([0xff, 0x03, 0x08, ...hello.bytes.subarray(3, 11), 5]);
    net.fromClient(ALICE, client.handle(net.now, reject));
    assert.equal(client.state, 'closed');
    assert.deepEqual(events.at(-1), { type: 'session-lost', reconnecting: false });
  });
});

describe('CLOSE reasons', () => {
  for (const [reason, reconnects] of [
    [0, true],
    [1, true],
    [2, true],
    [3, false],
    [4, true],
    [200, true],
  ] as const) {
    it(`CLOSE ${reason} from the relay ends the session; the client ${reconnects ? 'seeks a new one' : 'stays closed (killed)'}`, () => {
      const net = new V2Net();
      net.onLines = () => {};
      const { client, events } = established(net);
      const session = net.sessionOf(ALICE, client);
      net.relay.close(net.now, session, reason, net.sink);
      assert.deepEqual(
        events.filter((e) => e.type === 'session-lost'),
        [{ type: 'session-lost', reconnecting: reconnects }],
      );
      // Reconnecting, the new handshake completes at once in this lossless harness.
      assert.equal(client.state, reconnects ? 'established' : 'closed');
      assert.equal(net.relay.stats.accepts, reconnects ? 2 : 1);
    });
  }
});

describe('acknowledgements', () => {
  it('a line is acknowledged within the 25 ms ack delay, and a PING by the very next DATA', () => {
    const net = new V2Net();
    net.onLines = () => {};
    const { client } = established(net);
    net.fromClient(ALICE, client.send(net.now, 'ack me').out);
    const sentAt = net.now;
    const lineAt = net.log.length;
    net.advance(24, 1);
    assert.equal(net.log.slice(lineAt).filter((w) => w.from === RELAY).length, 0, 'not before the delay');
    net.advance(1, 1);
    assert.equal(net.log.slice(lineAt).filter((w) => w.from === RELAY).length, 1, `an ack by ${sentAt + 25}`);
    // A PING (the client's keep-alive) is answered in the same instant it arrives.
    net.advance(10_000 - (net.now - sentAt) - 1, 5);
    const pingAt = net.log.length;
    net.advance(1, 1);
    const exchange = net.log.slice(pingAt);
    assert.deepEqual(
      exchange.map((w) => (w.from === RELAY ? 'relay' : 'client')),
      ['client', 'relay'],
    );
  });
});
