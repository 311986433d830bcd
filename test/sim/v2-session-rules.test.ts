/**
 * Issue 17 through the whole product in simulated time (the real RelayServer and real ChatClients on one
 * fake clock): a silent client is announced as timed out whether it speaks v1 or v2, and a v2 one is told
 * so with CLOSE 1; `--keepalive server` pings v2 sessions with PING frames, not v1 `/ping` lines; `/leave`
 * whose CLOSE is lost ends the membership at once and the session at the idle timeout, announced once.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Address } from '../../src/protocol/address.ts';
import type { Frame } from '../../src/protocol/v2/frames.ts';
import type { RelayCoreOptions } from '../../src/relay-host/relay-server.ts';
import type { ProtectedNote } from '../../src/session/session-link.ts';
import { ChatSim, RELAY_ADDRESS, type SimClient } from './chat-sim.ts';

interface Seen {
  readonly from: Address;
  readonly to: Address;
  readonly bytes: Uint8Array;
  readonly at: number;
}

/** What the relay sealed, by datagram: the wire carries only ciphertext. */
const sealed = new Map<Uint8Array, ProtectedNote>();

/** A run with three lobby members (alice and carol over v2, bob over v1), recording the wire. */
async function lobby(options: RelayCoreOptions): Promise<{
  sim: ChatSim;
  alice: SimClient;
  bob: SimClient;
  carol: SimClient;
  wire: Seen[];
  silenced: Set<string>;
}> {
  const observer = (note: ProtectedNote): void => {
    if (note.direction === 'sealed') sealed.set(note.datagram, note);
  };
  const sim = new ChatSim(17, { ...options, v2: { ...options.v2, observer } });
  const wire: Seen[] = [];
  const silenced = new Set<string>();
  sim.network.filter = (from, to, bytes) => {
    wire.push({ from, to, bytes, at: sim.time.now });
    return !silenced.has(from.host);
  };
  const alice = await sim.connect('alice', { host: '198.51.100.1', protocol: 'v2' });
  const bob = await sim.connect('bob', { host: '198.51.100.2', protocol: 'v1' });
  const carol = await sim.connect('carol', { host: '198.51.100.3', protocol: 'v2' });
  sim.welcomeAll();
  return { sim, alice, bob, carol, wire, silenced };
}

function toHost(wire: readonly Seen[], host: string): Seen[] {
  return wire.filter((w) => w.to.host === host && w.from.host === RELAY_ADDRESS.host);
}

/** The frames of a DATA the relay sealed, as the relay noted them. */
function framesOf(seen: Seen): readonly Frame[] {
  if (seen.bytes[0] !== 0xff || seen.bytes[2] !== 0x04) return [];
  const note = sealed.get(seen.bytes);
  assert.ok(note, 'every DATA to a client was sealed by the relay');
  return note.frames ?? [];
}

function runUntil(sim: ChatSim, done: () => boolean, ms: number, what: string): void {
  sim.time.run({ until: done, maxTimeMs: sim.time.now + ms, maxSteps: 2_000_000, describe: () => what });
}

describe('v2 session rules through the relay and its clients', () => {
  test('a silent client times out, v1 and v2 alike, and the v2 one is sent CLOSE 1', async () => {
    const { sim, alice, carol, wire, silenced } = await lobby({ relay: { idleTimeoutMs: 3_000 } });
    silenced.add('198.51.100.1'); // alice (v2) goes silent
    silenced.add('198.51.100.2'); // bob (v1) goes silent
    runUntil(
      sim,
      () => ['alice', 'bob'].every((nick) => carol.notices.includes(`${nick} timed out`)),
      20_000,
      `carol saw ${JSON.stringify(carol.notices)}`,
    );
    assert.ok(!carol.notices.some((text) => /^(alice|bob) left$/.test(text)), carol.notices.join('\n'));
    const closes = toHost(wire, '198.51.100.1').filter((w) => w.bytes[0] === 0xff && w.bytes[2] === 0x05);
    assert.equal(closes.length, 1, 'one CLOSE to alice');
    assert.equal(sealed.get(closes[0]?.bytes ?? new Uint8Array())?.reason, 1, 'reason 1: idle');
    assert.equal(closes[0]?.bytes.byteLength, 32, 'sealed: the reason is not readable on the wire');
    assert.ok(alice.welcomed);
    await sim.stop();
  });

  test('--keepalive server pings a v2 session with PING frames, and evicts a silent one as timed out', async () => {
    const { sim, carol, wire, silenced } = await lobby({
      relay: {
        keepalive: 'server',
        keepaliveIntervalMs: 2_000,
        keepalivePongTimeoutMs: 500,
        keepaliveMisses: 3,
      },
    });
    const start = wire.length;
    sim.time.advanceTo(sim.time.now + 9_000, 2_000_000);
    const toAlice = toHost(wire.slice(start), '198.51.100.1');
    const frames = toAlice.flatMap(framesOf);
    assert.ok(
      frames.some((f) => f.type === 'ping'),
      'the relay sent alice PING frames',
    );
    assert.ok(
      !frames.some((f) => f.type === 'line' && f.text === '/ping'),
      'never a v1 /ping line to a v2 session',
    );
    const toBob = toHost(wire.slice(start), '198.51.100.2').map((w) => new TextDecoder().decode(w.bytes));
    assert.ok(toBob.includes('/ping\n'), 'the v1 client still gets /ping lines');
    assert.deepEqual(
      carol.notices.filter((text) => /timed out/.test(text)),
      [],
      'live clients answer and stay',
    );
    silenced.add('198.51.100.1');
    runUntil(sim, () => carol.notices.includes('alice timed out'), 10_000, carol.notices.join('\n'));
    await sim.stop();
  });

  test('/leave whose CLOSE is lost: announced once, the session ends at the idle timeout', async () => {
    const { sim, alice, carol, wire, silenced } = await lobby({ relay: { idleTimeoutMs: 3_000 } });
    sim.network.filter = (from, to, bytes) => {
      wire.push({ from, to, bytes, at: sim.time.now });
      const aliceClose = from.host === '198.51.100.1' && bytes[0] === 0xff && bytes[2] === 0x05;
      return !aliceClose && !silenced.has(from.host);
    };
    assert.equal(sim.relay.vitals().v2Sessions, 2);
    await alice.client.leave();
    runUntil(sim, () => carol.notices.includes('alice left'), 2_000, carol.notices.join('\n'));
    assert.equal(sim.relay.vitals().v2Sessions, 2, 'the membership ended, not the session');
    await alice.client.close();
    runUntil(sim, () => sim.relay.vitals().v2Sessions === 1, 10_000, 'the left session is evicted');
    sim.time.advanceTo(sim.time.now + 1_000, 2_000_000);
    assert.deepEqual(
      carol.notices.filter((text) => /alice/.test(text) && /left|timed out/.test(text)),
      ['alice left'],
    );
    await sim.stop();
  });

  test('no takeover: a second session asking for a live nick is refused, and gets it once the first is gone', async () => {
    const { sim, alice, carol } = await lobby({ relay: { idleTimeoutMs: 30_000 } });
    const refusals: string[] = [];
    const second = await sim.connect('alice', { host: '198.51.100.9', protocol: 'v2' });
    second.on('refused', (event) => refusals.push(event.line));
    second.on('notice', (event) => refusals.push(event.text));
    sim.time.advanceTo(sim.time.now + 1_000, 2_000_000);
    assert.equal(second.welcomed, false);
    assert.ok(
      refusals.some((text) => /nickname alice is already in use/.test(text)),
      refusals.join('\n'),
    );
    assert.ok(alice.welcomed && !carol.notices.includes('alice left'));
    await second.client.close();
    // The first alice says goodbye (CLOSE 0): the nick is free at once, for a new session.
    await alice.client.leave();
    await alice.client.close();
    const third = await sim.connect('alice', { host: '198.51.100.10', protocol: 'v2' });
    runUntil(sim, () => third.welcomed, 5_000, 'the nick is free again');
    await sim.stop();
  });

  test('forged REJECTs to a client, from another host, from its own address and from the relay’s, change nothing', async () => {
    const { sim, alice, carol, wire } = await lobby({});
    alice.client.say('before');
    runUntil(sim, () => carol.from('alice').includes('before'), 2_000, 'carol hears alice');
    const data = wire.find(
      (w) => w.from.host === '198.51.100.1' && w.bytes[0] === 0xff && w.bytes[2] === 0x04,
    );
    assert.ok(data, 'an observer saw a DATA of alice');
    const sessionId = data.bytes.slice(3, 11);
    const forged = [
      Uint8Array.from([0xff, 0x02, 0x08, ...sessionId, 0x04]),
      Uint8Array.from([0xff, 0x02, 0x08, ...sessionId, 0x04, ...new Uint8Array(16).fill(0x77)]),
      Uint8Array.from([0xff, 0x02, 0x08, ...sessionId, 0x03]),
    ];
    const target = alice.client.local;
    for (const source of [{ host: '203.0.113.66', port: 4444 }, target, RELAY_ADDRESS]) {
      for (const bytes of forged) sim.network.send(source, target, bytes);
    }
    sim.time.advanceTo(sim.time.now + 100, 2_000_000);
    alice.client.say('after');
    runUntil(sim, () => carol.from('alice').includes('after'), 2_000, 'carol hears alice again');
    const hellos = wire.filter(
      (w) => w.from.host === '198.51.100.1' && w.bytes[0] === 0xff && w.bytes[2] === 0x01,
    );
    assert.equal(hellos.length, 2, 'one handshake only: a probe and the HELLO with its cookie');
    assert.ok(
      !carol.notices.some((text) => /^alice (left|joined|timed out)$/.test(text)),
      carol.notices.join('\n'),
    );
    await sim.stop();
  });

  test('each LINE of a v2 DATA costs a flood-control token, as a v1 line does', async () => {
    const { sim, alice, carol } = await lobby({ relay: { lineBurst: 10, lineRate: 0.001 } });
    for (let i = 0; i < 14; i++) alice.client.say(`burst ${i}`);
    runUntil(
      sim,
      () => alice.notices.includes('you are sending too fast: line dropped'),
      2_000,
      alice.notices.join('\n'),
    );
    sim.time.advanceTo(sim.time.now + 1_000, 2_000_000);
    assert.deepEqual(
      carol.from('alice'),
      Array.from({ length: 10 }, (_, i) => `burst ${i}`),
    );
    await sim.stop();
  });
});
