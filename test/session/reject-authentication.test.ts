/**
 * Issue 17, point 1: a REJECT is untagged and the session id travels in clear, so once a session is up the
 * client heeds only a REJECT 4 that carries the session's reset token, which only the relay can compute
 * (from its identity's reset key) and only the client learned (sealed in its ACCEPT). Everything else that could end
 * the session is tagged with its keys.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Address } from '../../src/protocol/address.ts';
import { encodeReject3 as encodeReject } from '../../src/protocol/v2/protected-handshake.ts';
import { PROTECTED_REJECT_REASONS as REJECT_REASONS } from '../../src/protocol/v2/protected-packets.ts';
import { RELAY, V2Net } from './v2-harness.ts';

const ALICE: Address = { host: '127.0.0.1', port: 40001 };

function established(net: V2Net): ReturnType<V2Net['addClient']> {
  const entry = net.addClient(ALICE, 7);
  net.advance(50);
  assert.equal(entry.client.state, 'established');
  return entry;
}

/** The session id an on-path observer reads from any DATA the client sends (offset 3, in clear). */
function observedSessionId(net: V2Net): Uint8Array {
  const data = net.log.find((w) => w.from !== RELAY && w.bytes[2] === 0x04);
  assert.ok(data, 'the client sent a DATA');
  return data.bytes.slice(3, 11);
}

describe('REJECT cannot end an established session unless it proves it is the relay', () => {
  it('forged REJECTs naming the session are ignored: the 12-byte form, a guessed token, other reasons', () => {
    const net = new V2Net();
    const { client, events } = established(net);
    net.fromClient(ALICE, client.send(net.now, 'first').out);
    net.advance(100);
    const sessionId = observedSessionId(net);
    const forgeries = [
      // A 12-byte REJECT 4: public information only. Malformed (reason 4 carries a token).
      Uint8Array.from([0xff, 0x03, 0x08, ...sessionId, 0x04]),
      // Wire version 2's REJECT 4 with a token: another version, not ours.
      Uint8Array.from([0xff, 0x02, 0x08, ...sessionId, 0x04, ...new Uint8Array(16)]),
      encodeReject({ echo: sessionId, reason: REJECT_REASONS.unknownSession, token: new Uint8Array(16) }),
      encodeReject({
        echo: sessionId,
        reason: REJECT_REASONS.unknownSession,
        token: new Uint8Array(16).fill(0xa5),
      }),
      encodeReject({ echo: sessionId, reason: REJECT_REASONS.tooManySessions, token: null }),
      encodeReject({ echo: sessionId, reason: REJECT_REASONS.versionNotSupported, token: null }),
      encodeReject({ echo: sessionId, reason: REJECT_REASONS.badKey, token: null }),
    ];
    const before = events.length;
    // Delivered as if from the relay's own address (the strongest forgery: a client cannot tell).
    for (const bytes of forgeries) net.fromClient(ALICE, client.handle(net.now, bytes));
    assert.deepEqual(events.slice(before), []);
    assert.equal(client.state, 'established');
    assert.equal(client.rejectsIgnored, 6, 'each one counted');
    // The session still carries lines both ways, with no new handshake.
    net.fromClient(ALICE, client.send(net.now, 'second').out);
    net.advance(100);
    assert.deepEqual(
      net.relayLines.map((l) => l.line),
      ['first', 'second'],
    );
    assert.equal(net.relay.stats.accepts, 1);
  });

  it("the relay's own REJECT 4, after it closed the session and the CLOSE was lost, ends it", () => {
    const net = new V2Net();
    net.onLines = () => {};
    const { client, events } = established(net);
    const session = net.sessionOf(ALICE, client);
    net.drop = (w) => w.from === RELAY && w.bytes[2] === 0x05;
    net.relay.close(net.now, session, 1, net.sink);
    net.drop = () => false;
    assert.equal(client.state, 'established', 'the client never heard the CLOSE');
    const before = net.log.length;
    net.fromClient(ALICE, client.send(net.now, 'anyone there?').out);
    const reject = net.log.slice(before).find((w) => w.from === RELAY && w.bytes[2] === 0x08);
    assert.equal(reject?.bytes.byteLength, 28);
    assert.ok(events.some((e) => e.type === 'session-lost' && e.reconnecting));
    assert.equal(net.relay.stats.accepts, 2, 'and a new session is up');
  });

  it('the relay answers a DATA or RESPONSE for an unknown session with REJECT 4, and a CLOSE, CHALLENGE or REJECT with nothing', () => {
    const net = new V2Net();
    const stranger = { host: '127.0.0.7', port: 7777 };
    const unknown = new Uint8Array(8).fill(0x33);
    const tail = (length: number): number[] => [...new Uint8Array(length)];
    const asIf = (type: number, rest: number[]): Uint8Array =>
      Uint8Array.from([0xff, 0x03, type, ...unknown, ...rest]);
    const answers = (bytes: Uint8Array): number[] => {
      const before = net.log.length;
      net.inject(stranger, bytes);
      return net.log.slice(before + 1).map((w) => w.bytes.byteLength);
    };
    assert.deepEqual(answers(asIf(0x04, tail(28))), [28], 'DATA');
    assert.deepEqual(answers(asIf(0x07, tail(28))), [28], 'RESPONSE');
    assert.deepEqual(answers(asIf(0x05, tail(21))), [], 'CLOSE');
    assert.deepEqual(answers(asIf(0x06, tail(28))), [], 'CHALLENGE');
    assert.deepEqual(answers(asIf(0x08, [4, ...tail(16)])), [], 'REJECT');
  });

  it('during a handshake, REJECT 1 and 3 are heeded only for the HELLO they echo', () => {
    const net = new V2Net();
    net.drop = (w) => w.from === RELAY; // the relay's answers never arrive
    const { client, events } = net.addClient(ALICE, 7);
    const hello = net.log.find((w) => w.from === ALICE);
    assert.ok(hello);
    const nonce = hello.bytes.slice(3, 11);
    const otherNonce = nonce.map((b) => b ^ 0xff);
    net.fromClient(ALICE, client.handle(net.now, encodeReject({ echo: otherNonce, reason: 3, token: null })));
    assert.equal(client.state, 'probing');
    net.fromClient(ALICE, client.handle(net.now, encodeReject({ echo: nonce, reason: 3, token: null })));
    assert.equal(client.state, 'v1');
    assert.deepEqual(
      events.map((e) => e.type),
      ['fallback'],
    );
  });
});
