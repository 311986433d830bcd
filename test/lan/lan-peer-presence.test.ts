/** LanPeer presence without a server: announcements, joins, leaves, time-outs and /who. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ANNOUNCE_INTERVAL_MS,
  ANNOUNCE_JITTER_FRACTION,
  NEWCOMER_ANSWER_GAP_MS,
  NEWCOMER_ANSWER_MAX_MS,
  NEWCOMER_ANSWER_MIN_MS,
  SENDER_TIMEOUT_MS,
  STARTUP_REANNOUNCE_MS,
} from '../../src/protocol/lan/limits.ts';
import { decodeLanDatagram } from '../../src/protocol/lan/wire.ts';
import {
  EPOCH,
  eventsOf,
  LAN_ADDRESS,
  peer,
  RemoteSender,
  runUntil,
  started,
  texts,
  types,
} from './lan-harness.ts';

function kindsSent(datagrams: readonly Uint8Array[]): string[] {
  return datagrams.map((bytes) => {
    const decoded = decodeLanDatagram(bytes, null);
    return decoded.ok ? `${decoded.datagram.kind}#${decoded.datagram.sequence}` : decoded.error;
  });
}

describe('announcements', () => {
  it('announces at start with sequence 0, our nick and claim time', () => {
    const [alice, out] = started('alice', 1_000);
    assert.deepEqual(kindsSent(out.datagrams), ['announce#0']);
    const decoded = decodeLanDatagram(out.datagrams[0] ?? new Uint8Array(), null);
    assert.ok(decoded.ok);
    assert.equal(decoded.datagram.nick, 'alice');
    assert.equal(decoded.datagram.claimedAt, EPOCH);
    assert.equal(alice.senderId.length, 16);
    assert.deepEqual(out.events, []);
  });

  it('announces again a second later, then every 5 s within the jitter, each with the next sequence', () => {
    const [alice] = started('alice', 0);
    assert.equal(alice.nextTickAt(), STARTUP_REANNOUNCE_MS);
    assert.deepEqual(kindsSent(alice.tick(STARTUP_REANNOUNCE_MS).datagrams), ['announce#1']);
    let last = STARTUP_REANNOUNCE_MS;
    for (let round = 2; round < 12; round++) {
      const at = alice.nextTickAt() ?? Number.NaN;
      const interval = at - last;
      assert.ok(interval >= ANNOUNCE_INTERVAL_MS * (1 - ANNOUNCE_JITTER_FRACTION), `interval ${interval}`);
      assert.ok(interval <= ANNOUNCE_INTERVAL_MS * (1 + ANNOUNCE_JITTER_FRACTION), `interval ${interval}`);
      assert.deepEqual(kindsSent(alice.tick(at).datagrams), [`announce#${round}`]);
      last = at;
    }
  });

  it('answers a newcomer with two announcements (soon, then a second later), once per answer gap', () => {
    const [alice] = started('alice', 0);
    alice.tick(STARTUP_REANNOUNCE_MS);
    const periodic = alice.nextTickAt() ?? Number.NaN;
    const bob = new RemoteSender(0xb0);
    const arrival = 2_000;
    alice.handle(arrival - 1_000, LAN_ADDRESS, bob.announce());
    // Bob is present on his second datagram: that is when alice answers.
    assert.deepEqual(types(alice.handle(arrival, LAN_ADDRESS, bob.announce())), ['joined']);
    const answer = alice.nextTickAt() ?? Number.NaN;
    assert.ok(
      answer >= arrival + NEWCOMER_ANSWER_MIN_MS && answer <= arrival + NEWCOMER_ANSWER_MAX_MS,
      `${answer}`,
    );
    assert.ok(answer < periodic);
    assert.deepEqual(kindsSent(alice.tick(answer).datagrams), ['announce#2']);
    assert.equal(alice.nextTickAt(), answer + STARTUP_REANNOUNCE_MS);
    assert.deepEqual(kindsSent(alice.tick(answer + STARTUP_REANNOUNCE_MS).datagrams), ['announce#3']);
    const next = alice.nextTickAt() ?? Number.NaN;
    assert.ok(
      next - (answer + STARTUP_REANNOUNCE_MS) >= ANNOUNCE_INTERVAL_MS * (1 - ANNOUNCE_JITTER_FRACTION),
    );

    // carol arrives within the gap: no answer; dave after it: answered.
    const carol = new RemoteSender(0xc0, { nick: 'carol' });
    const soon = arrival + NEWCOMER_ANSWER_GAP_MS - 1;
    assert.deepEqual(types(alice.handle(soon, LAN_ADDRESS, carol.line('hi'))), ['joined', 'line']);
    assert.equal(alice.nextTickAt(), next);
    const dave = new RemoteSender(0xd0, { nick: 'dave' });
    const later = arrival + NEWCOMER_ANSWER_GAP_MS;
    assert.deepEqual(types(alice.handle(later, LAN_ADDRESS, dave.line('hi'))), ['joined', 'line']);
    assert.ok((alice.nextTickAt() ?? Number.NaN) <= later + NEWCOMER_ANSWER_MAX_MS);
  });

  it('does nothing before start, and start twice announces once', () => {
    const alice = peer('alice');
    assert.equal(alice.nextTickAt(), null);
    assert.deepEqual(alice.tick(10_000).datagrams, []);
    alice.start(0);
    assert.deepEqual(alice.start(0).datagrams, []);
  });

  it('refuses a nick the relay would refuse, or one with # in it', () => {
    assert.throws(() => peer('bad nick'), /invalid nickname: contains whitespace/);
    assert.throws(() => peer('bob#1234'), /invalid nickname: must not contain #/);
  });
});

describe('joins', () => {
  it('reports a sender as joined on its second datagram, not on a single announcement', () => {
    const [alice] = started('alice');
    const bob = new RemoteSender(0xb0);
    assert.deepEqual(alice.handle(10, LAN_ADDRESS, bob.announce()).events, []);
    const second = alice.handle(1_010, LAN_ADDRESS, bob.announce());
    assert.deepEqual(second.events, [{ type: 'joined', senderId: bob.hex, nick: 'bob' }]);
  });

  it('reports a sender as joined before its first line when the line is the first thing heard', () => {
    const [alice] = started('alice');
    const bob = new RemoteSender(0xb0);
    assert.deepEqual(types(alice.handle(10, LAN_ADDRESS, bob.line('hi'))), ['joined', 'line']);
  });

  it('lists itself and what it heard in /who, by shown name, with the source address', () => {
    const [alice] = started('alice');
    const bob = new RemoteSender(0xb0);
    alice.handle(10, LAN_ADDRESS, bob.line('hi'));
    const who = alice.who(20);
    assert.deepEqual(
      who.map((entry) => [entry.shownAs, entry.self, entry.address]),
      [
        ['alice', true, null],
        ['bob', false, LAN_ADDRESS],
      ],
    );
    assert.equal(who[1]?.lastHeardAt, 10);
  });

  it('does not list a sender heard only once', () => {
    const [alice] = started('alice');
    alice.handle(10, LAN_ADDRESS, new RemoteSender(0xb0).announce());
    assert.deepEqual(
      alice.who(20).map((entry) => entry.shownAs),
      ['alice'],
    );
  });
});

describe('leaves and time-outs', () => {
  it('reports a leave, forgets the sender, and drops anything it sends afterwards', () => {
    const [alice] = started('alice');
    const bob = new RemoteSender(0xb0);
    alice.handle(10, LAN_ADDRESS, bob.line('hi'));
    const leave = bob.leave();
    assert.deepEqual(alice.handle(20, LAN_ADDRESS, leave).events, [
      { type: 'left', senderId: bob.hex, nick: 'bob' },
    ]);
    assert.deepEqual(alice.handle(30, LAN_ADDRESS, leave).events, []);
    assert.deepEqual(texts(alice.handle(40, LAN_ADDRESS, bob.line('ghost'))), []);
    assert.equal(alice.stats.departed, 2);
    assert.equal(alice.who(50).length, 1);
  });

  it('times out a sender not heard for three announce periods, and not a moment before', () => {
    const [alice] = started('alice');
    const bob = new RemoteSender(0xb0);
    alice.handle(100, LAN_ADDRESS, bob.line('hi'));
    assert.equal(eventsOf(runUntil(alice, 100 + SENDER_TIMEOUT_MS - 1), 'timed-out').length, 0);
    const events = runUntil(alice, 100 + SENDER_TIMEOUT_MS);
    assert.deepEqual(eventsOf(events, 'timed-out'), [
      { type: 'timed-out', senderId: bob.hex, nick: 'bob', silentMs: SENDER_TIMEOUT_MS },
    ]);
    assert.equal(alice.who(SENDER_TIMEOUT_MS + 200).length, 1);
  });

  it('keeps a sender that announces every 5 s, and welcomes it back after a time-out', () => {
    const [alice] = started('alice');
    const bob = new RemoteSender(0xb0);
    for (let at = 0; at <= 60_000; at += ANNOUNCE_INTERVAL_MS) {
      alice.handle(at, LAN_ADDRESS, bob.announce());
      assert.equal(eventsOf(runUntil(alice, at), 'timed-out').length, 0);
    }
    assert.equal(eventsOf(runUntil(alice, 60_000 + SENDER_TIMEOUT_MS), 'timed-out').length, 1);
    bob.announce(); // lost
    // Back from a time-out: present on its first datagram (it waits REORDER_HOLD_MS, as any first contact).
    assert.deepEqual(types(alice.handle(80_000, LAN_ADDRESS, bob.announce())), []);
    assert.deepEqual(types(runUntil(alice, 81_000)), ['joined']);
  });

  it('sends one leave on leave() and then stops: no ticks, no receiving, no saying', () => {
    const [alice] = started('alice');
    const out = alice.leave(500);
    assert.deepEqual(kindsSent(out.datagrams), ['leave#1']);
    assert.equal(alice.nextTickAt(), null);
    assert.deepEqual(alice.handle(600, LAN_ADDRESS, new RemoteSender(0xb0).line('hi')).events, []);
    assert.deepEqual(eventsOf(alice.say(700, 'hello?'), 'refused')[0]?.refusal.code, 'inactive');
    assert.deepEqual(alice.leave(800).datagrams, []);
  });
});
