/**
 * The client's trust in the relay's identity (docs/PROTOCOL-v2.md, 4.5 and 5.3), through the session layer:
 * a pinned key that matches goes through silently; a genuine ACCEPT under another key stops the client
 * before any line, with the key it offered; ACCEPTs whose proof does not verify are dropped and, once the
 * handshake runs out of attempts, reported as a failed identity verification; and the key the first session
 * proved is held for every later session of the connection.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Address } from '../../src/protocol/address.ts';
import { fingerprint } from '../../src/protocol/v2/fingerprint.ts';
import { RelayIdentity } from '../../src/protocol/v2/relay-identity.ts';
import {
  V2ClientConnection,
  type V2ClientEvent,
  type V2ClientOutput,
} from '../../src/session/client-connection.ts';
import { V2RelayEndpoint, type V2RelaySink } from '../../src/session/relay-endpoint.ts';
import { seededRandom } from './v2-harness.ts';

const CLIENT: Address = { host: '127.0.0.1', port: 40001 };
const REAL = RelayIdentity.fromSeed(new Uint8Array(32).fill(1));
const IMPOSTOR = RelayIdentity.fromSeed(new Uint8Array(32).fill(2));

function relay(identity: RelayIdentity, seed: number): V2RelayEndpoint {
  return new V2RelayEndpoint({
    random: seededRandom(seed),
    identity,
    maxSessions: 10,
    maxPerHost: 0,
    idleTimeoutMs: 30_000,
  });
}

/** Pumps datagrams between the client and `endpoint` at time `now`, `tamper` applied to the relay's; returns the client's events. */
function exchange(
  client: V2ClientConnection,
  endpoint: V2RelayEndpoint,
  first: V2ClientOutput,
  now: number,
  tamper: (bytes: Uint8Array) => Uint8Array = (bytes) => bytes,
): { events: V2ClientEvent[]; sent: Uint8Array[] } {
  const events: V2ClientEvent[] = [];
  const sent: Uint8Array[] = [];
  const replies: Uint8Array[] = [];
  const sink: V2RelaySink = {
    datagram: (_to, bytes) => replies.push(bytes),
    lines: () => {},
    heard: () => {},
    ended: () => {},
  };
  let out = first;
  // Bounded: a handshake is a handful of datagrams.
  for (let round = 0; round < 20; round++) {
    events.push(...out.events);
    for (const bytes of out.datagrams) {
      sent.push(bytes);
      endpoint.handle(now, CLIENT, bytes, sink);
      endpoint.flush(now, sink);
    }
    const next = replies.shift();
    if (next === undefined) break;
    out = client.handle(now, tamper(next));
  }
  return { events, sent };
}

describe('the client trusts the relay identity it pinned, and no other', () => {
  it('a matching pin: established, not a first contact', () => {
    const client = new V2ClientConnection({
      random: seededRandom(5),
      pinnedFingerprint: fingerprint(REAL.publicKey),
    });
    const { events } = exchange(client, relay(REAL, 1), client.start(0), 0);
    assert.equal(client.state, 'established');
    assert.deepEqual(events, [{ type: 'established', identityKey: REAL.publicKey, firstContact: false }]);
  });

  it('an impostor with a genuine ACCEPT under another key: refused before any line, with the key it offered', () => {
    const client = new V2ClientConnection({
      random: seededRandom(5),
      pinnedFingerprint: fingerprint(REAL.publicKey),
    });
    const { events, sent } = exchange(client, relay(IMPOSTOR, 1), client.start(0), 0);
    assert.equal(client.state, 'closed');
    assert.deepEqual(events, [
      { type: 'refused', refusal: { kind: 'identity-changed', offeredKey: IMPOSTOR.publicKey } },
    ]);
    assert.ok(
      sent.every((bytes) => bytes[2] === 0x01),
      'only HELLOs were sent',
    );
    assert.equal(client.send(0, 'hello').result.ok, false);
    assert.deepEqual(client.tick(10_000), { datagrams: [], events: [] }, 'no retry, no v1');
  });

  it('ACCEPTs whose proof does not verify are dropped, and running out of attempts says identity verification failed', () => {
    const client = new V2ClientConnection({ random: seededRandom(5) });
    const endpoint = relay(REAL, 1);
    const forgeProof = (bytes: Uint8Array): Uint8Array => {
      if (bytes[2] !== 0x03) return bytes;
      const forged = Uint8Array.from(bytes);
      forged[100] = (forged[100] ?? 0) ^ 1; // inside the proof (offsets 83..146)
      return forged;
    };
    const events = exchange(client, endpoint, client.start(0), 0, forgeProof).events;
    assert.equal(client.state, 'validating');
    assert.equal(client.dropped.accept.proof, 1);
    // The client re-sends its HELLO every 500 ms, 5 times; each ACCEPT it gets fails its proof.
    for (let now = 500; now <= 3_000; now += 500)
      events.push(...exchange(client, endpoint, client.tick(now), now, forgeProof).events);
    assert.equal(client.state, 'closed');
    assert.deepEqual(events.at(-1), { type: 'refused', refusal: { kind: 'identity-unverified' } });
    assert.ok(!events.some((e) => e.type === 'established'));
  });

  it('trust on first use holds for the whole connection: a later session under another key is refused', () => {
    const client = new V2ClientConnection({ random: seededRandom(5) });
    const first = exchange(client, relay(REAL, 1), client.start(0), 0).events;
    assert.deepEqual(first, [{ type: 'established', identityKey: REAL.publicKey, firstContact: true }]);
    // The session is lost (a whole idle timeout unheard); the new handshake meets an impostor.
    const lost = client.tick(30_001);
    assert.equal(client.state, 'probing');
    const second = exchange(
      client,
      relay(IMPOSTOR, 2),
      { datagrams: lost.datagrams.filter((bytes) => bytes[2] === 0x01), events: [] },
      30_001,
    );
    assert.deepEqual(second.events, [
      { type: 'refused', refusal: { kind: 'identity-changed', offeredKey: IMPOSTOR.publicKey } },
    ]);
  });
});
