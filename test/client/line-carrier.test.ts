import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CarrierOutput, LineCarrier } from '../../src/client/line-carrier.ts';
import type { Address } from '../../src/protocol/address.ts';
import { encodeLine } from '../../src/protocol/codec.ts';
import { V2RelayEndpoint, type V2RelaySink } from '../../src/session/relay-endpoint.ts';
import { seededRandom } from '../session/v2-harness.ts';

const CLIENT: Address = { host: '127.0.0.1', port: 40001 };
const decoder = new TextDecoder();

/** A relay that speaks v2 and echoes each line back as `<relay> line`. */
function v2Relay(): { endpoint: V2RelayEndpoint; deliver: (bytes: Uint8Array) => Uint8Array[] } {
  const endpoint = new V2RelayEndpoint({
    random: seededRandom(5),
    maxSessions: 10,
    maxPerHost: 0,
    idleTimeoutMs: 30_000,
  });
  let replies: Uint8Array[] = [];
  const sink: V2RelaySink = {
    datagram: (_to, bytes) => replies.push(bytes),
    lines: (session, lines) => {
      for (const line of lines) endpoint.sendLine(session, `<relay> ${line}`);
    },
    heard: () => {},
    ended: () => {},
  };
  return {
    endpoint,
    deliver: (bytes) => {
      replies = [];
      endpoint.handle(0, CLIENT, bytes, sink);
      endpoint.flush(0, sink);
      return replies;
    },
  };
}

/** Runs datagrams back and forth between carrier and relay until both are quiet. */
function exchange(
  carrier: LineCarrier,
  relay: ReturnType<typeof v2Relay>,
  first: CarrierOutput,
): CarrierOutput {
  const seen: CarrierOutput = { toRelay: [], toSession: [], events: [] };
  let pending = [...first.toRelay];
  seen.events.push(...first.events);
  seen.toSession.push(...first.toSession);
  for (let round = 0; round < 20 && pending.length > 0; round++) {
    const next: Uint8Array[] = [];
    for (const datagram of pending) {
      for (const reply of relay.deliver(datagram)) {
        const out = carrier.receive(0, reply);
        seen.events.push(...out.events);
        seen.toSession.push(...out.toSession);
        next.push(...out.toRelay);
      }
    }
    pending = next;
  }
  return seen;
}

describe('line carrier: v2 when the relay speaks it, v1 when it does not', () => {
  it('lines sent while probing wait, then ride v2 once the relay answers', () => {
    const carrier = new LineCarrier({ mode: 'auto', random: seededRandom(11) });
    const relay = v2Relay();
    const started = carrier.start(0);
    const queued = carrier.send(0, [encodeLine('/join alice')]);
    assert.deepEqual(queued.ids, [null]);
    assert.deepEqual(queued.out.toRelay, [], 'nothing goes out before the protocol is known');
    const seen = exchange(carrier, relay, started);
    assert.deepEqual(seen.events[0], { type: 'protocol', protocol: 'v2' });
    assert.deepEqual(
      seen.toSession.map((b) => decoder.decode(b)),
      ['<relay> /join alice\n'],
    );
    assert.equal(carrier.current, 'v2');
  });

  it('a line sent over v2 gets an id that the relay acknowledges', () => {
    const carrier = new LineCarrier({ mode: 'auto', random: seededRandom(12) });
    const relay = v2Relay();
    exchange(carrier, relay, carrier.start(0));
    const sent = carrier.send(0, [encodeLine('hello')]);
    assert.deepEqual(sent.ids, [0]);
    const seen = exchange(carrier, relay, sent.out);
    assert.ok(
      seen.events.some((e) => e.type === 'acked' && e.id === 0),
      JSON.stringify(seen.events),
    );
  });

  it('a relay that never answers the probe (a v1 relay) gets the waiting lines as v1 datagrams', () => {
    const carrier = new LineCarrier({ mode: 'auto', random: seededRandom(13) });
    carrier.start(0);
    carrier.send(0, [encodeLine('/join alice')]);
    let fallback: CarrierOutput | null = null;
    for (let now = 0; now <= 2_000 && fallback === null; now += 50) {
      const out = carrier.tick(now);
      if (out.events.some((e) => e.type === 'protocol')) fallback = out;
    }
    assert.ok(fallback);
    // Said first, before the first v1 line (section 12): v1 is neither encrypted nor authenticated.
    assert.deepEqual(fallback.events.slice(0, 2), [
      { type: 'v2-refused', reason: 'silent' },
      { type: 'protocol', protocol: 'v1' },
    ]);
    assert.deepEqual(
      fallback.toRelay.map((b) => decoder.decode(b)),
      ['/join alice\n'],
    );
    const text = carrier.receive(2_000, encodeLine('*** welcome, alice ***'));
    assert.equal(text.toSession.length, 1);
  });

  it('--protocol v2 against a v1 relay says so instead of falling back', () => {
    const carrier = new LineCarrier({ mode: 'v2', random: seededRandom(14) });
    carrier.start(0);
    const events = [];
    for (let now = 0; now <= 2_000; now += 50) events.push(...carrier.tick(now).events);
    assert.deepEqual(events, [{ type: 'no-v2' }]);
  });

  it('--protocol v1 never probes', () => {
    const carrier = new LineCarrier({ mode: 'v1', random: seededRandom(15) });
    assert.deepEqual(carrier.start(0).toRelay, []);
    assert.deepEqual(
      carrier.send(0, [encodeLine('/join a')]).out.toRelay.map((b) => decoder.decode(b)),
      ['/join a\n'],
    );
  });
});

describe('line carrier: a text datagram while probing', () => {
  it('means a v1 relay: the carrier switches to v1 at once and passes the line on', () => {
    const carrier = new LineCarrier({ mode: 'auto', random: seededRandom(16) });
    carrier.start(0);
    carrier.send(0, [encodeLine('/join alice')]);
    const out = carrier.receive(10, encodeLine('*** please /join <nickname> first ***'));
    assert.equal(carrier.current, 'v1');
    assert.deepEqual(out.events[0], { type: 'protocol', protocol: 'v1' });
    assert.deepEqual(
      out.toRelay.map((b) => decoder.decode(b)),
      ['/join alice\n'],
    );
    assert.equal(out.toSession.length, 1);
  });
});
