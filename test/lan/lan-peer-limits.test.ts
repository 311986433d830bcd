/** LanPeer's bounds: outgoing flood control, refusals, incoming rates, and memory under forged senders. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  INBOUND_SENDER_BURST,
  INBOUND_TOTAL_BURST,
  MAX_DEPARTED_SENDERS,
  MAX_HELD_DATAGRAMS,
  MAX_SENDERS,
  MAX_SHOWN_SENDERS,
  OUTBOUND_LINE_BURST,
  OUTBOUND_LINE_RATE,
} from '../../src/protocol/lan/limits.ts';
import { decodeLanDatagram, encodeLanDatagram } from '../../src/protocol/lan/wire.ts';
import { EPOCH, eventsOf, LAN_ADDRESS, RemoteSender, runUntil, started, texts } from './lan-harness.ts';

function refusalCode(output: ReturnType<ReturnType<typeof started>[0]['say']>): string | undefined {
  return eventsOf(output, 'refused')[0]?.refusal.code;
}

describe('what say() refuses, never truncating', () => {
  it('refuses empty lines, line breaks, and more than 1,024 characters', () => {
    const [alice] = started('alice');
    assert.equal(refusalCode(alice.say(10, '')), 'empty');
    assert.equal(refusalCode(alice.say(10, 'one\ntwo')), 'line-break');
    const long = alice.say(10, 'a'.repeat(1025));
    assert.deepEqual(eventsOf(long, 'refused')[0]?.refusal, {
      code: 'too-long',
      message: 'line not sent: 1025 characters (max 1024)',
    });
    assert.deepEqual(long.datagrams, []);
  });

  it('refuses a line with nothing printable, and sends others sanitised', () => {
    const [alice] = started('alice');
    assert.equal(refusalCode(alice.say(10, '\u001b[2J')), 'nothing-printable');
    const sent = alice.say(10, 'hi\u001b[31m there');
    const decoded = decodeLanDatagram(sent.datagrams[0] ?? new Uint8Array(), null);
    assert.ok(decoded.ok);
    assert.equal(decoded.datagram.text, 'hi there');
    assert.equal(decoded.datagram.kind, 'line');
  });

  it('refuses a line that does not fit one 1,200-byte datagram', () => {
    const [alice] = started('alice');
    assert.equal(refusalCode(alice.say(10, '語'.repeat(1000))), 'too-large');
    assert.equal(refusalCode(alice.act(10, 'a'.repeat(1024))), undefined);
  });

  it('lets the relay flood-control burst through, refuses the next line, and recovers at the rate', () => {
    const [alice] = started('alice');
    for (let line = 0; line < OUTBOUND_LINE_BURST; line++)
      assert.equal(alice.say(0, `line ${line}`).datagrams.length, 1);
    const refused = alice.say(0, 'one too many');
    assert.deepEqual(refused.datagrams, []);
    assert.deepEqual(eventsOf(refused, 'refused')[0]?.refusal, {
      code: 'throttled',
      message: `line not sent: at most ${OUTBOUND_LINE_BURST} lines at once, then ${OUTBOUND_LINE_RATE} a second`,
    });
    assert.equal(alice.say(1_000 / OUTBOUND_LINE_RATE, 'later').datagrams.length, 1);
  });

  it('does not spend flood-control tokens on refused lines', () => {
    const [alice] = started('alice');
    for (let line = 0; line < 50; line++) alice.say(0, '語'.repeat(1000));
    for (let line = 0; line < OUTBOUND_LINE_BURST; line++)
      assert.equal(alice.say(0, `line ${line}`).datagrams.length, 1);
  });
});

describe('incoming rates', () => {
  it('throttles one sender past twice the relay flood-control burst, counting the drops', () => {
    const [alice] = started('alice');
    const bob = new RemoteSender(0xb0);
    let shown = 0;
    for (let line = 0; line < INBOUND_SENDER_BURST + 5; line++)
      shown += texts(alice.handle(0, LAN_ADDRESS, bob.line(`${line}`))).length;
    assert.equal(shown, INBOUND_SENDER_BURST);
    assert.equal(alice.stats.throttledSender, 5);
  });

  it('throttles everything past the overall burst before decoding it', () => {
    const [alice] = started('alice');
    for (let index = 0; index < INBOUND_TOTAL_BURST + 10; index++)
      alice.handle(0, LAN_ADDRESS, new Uint8Array([0xfe]));
    assert.equal(alice.stats.throttledTotal, 10);
    assert.equal(alice.stats.malformed, INBOUND_TOTAL_BURST);
  });
});

describe('memory under a flood of forged senders', () => {
  it('holds at most MAX_SENDERS senders through 100,000 forged ids, and keeps the real peers', () => {
    const [alice] = started('alice');
    const real = [0x01, 0x02, 0x03].map((idByte) => new RemoteSender(idByte, { nick: `real${idByte}` }));
    for (const sender of real) alice.handle(0, LAN_ADDRESS, sender.line('here'));
    const forgedId = new Uint8Array(8);
    const view = new DataView(forgedId.buffer);
    let now = 0;
    for (let index = 0; index < 100_000; index++) {
      view.setUint32(0, 0x8000_0000 + index);
      const forged = encodeLanDatagram(
        {
          senderId: forgedId,
          sequence: index % 7,
          kind: 'announce',
          claimedAt: EPOCH,
          lineNumber: 0,
          nick: 'mallory',
          text: '',
        },
        null,
      );
      assert.ok(forged.ok);
      now += 5; // 200 a second: within the overall rate, so every one reaches the sender table
      alice.handle(now, LAN_ADDRESS, forged.bytes);
      if (index % 1_000 === 0) {
        for (const sender of real) alice.handle(now, LAN_ADDRESS, sender.announce());
        runUntil(alice, now);
      }
      const footprint = alice.footprint();
      assert.ok(footprint.senders <= MAX_SENDERS);
      assert.ok(footprint.held <= MAX_HELD_DATAGRAMS);
      assert.ok(footprint.shownSenders <= MAX_SHOWN_SENDERS);
      assert.ok(footprint.departed <= MAX_DEPARTED_SENDERS);
    }
    assert.equal(alice.footprint().senders, MAX_SENDERS);
    assert.ok(alice.stats.evicted >= 100_000 - MAX_SENDERS);
    assert.deepEqual(
      alice.who(now).map((entry) => entry.shownAs),
      ['alice', 'real1', 'real2', 'real3'],
    );
  });

  it('refuses newcomers rather than push out present senders when the table is full of them', () => {
    const [alice] = started('alice');
    for (let index = 0; index < MAX_SENDERS; index++) {
      const sender = new RemoteSender(0, { nick: `p${index}` });
      sender.id.set([0x10, index >> 8, index & 0xff]);
      alice.handle(index * 10, LAN_ADDRESS, sender.line('here'));
    }
    const newcomer = new RemoteSender(0xee, { nick: 'late' });
    assert.deepEqual(alice.handle(MAX_SENDERS * 10, LAN_ADDRESS, newcomer.line('anyone?')).events, []);
    assert.equal(alice.stats.tableFull, 1);
    assert.equal(alice.who(MAX_SENDERS * 10).length, MAX_SENDERS + 1);
  });

  it('bounds the datagrams held for reordering over all senders', () => {
    const [alice] = started('alice');
    const senders = Array.from({ length: 64 }, (_, index) => {
      const sender = new RemoteSender(0, { nick: `s${index}` });
      sender.id.set([0x20, index]);
      alice.handle(0, LAN_ADDRESS, sender.line('first'));
      sender.line('lost');
      return sender;
    });
    // Each sender's line 'lost' never arrives, so everything after it is held: 64 x 30 would be 1,920.
    let now = 0;
    for (let round = 0; round < 30; round++) {
      for (const sender of senders) {
        now += 5; // within the overall rate; no tick, so no hold expires
        alice.handle(now, LAN_ADDRESS, sender.announce());
        assert.ok(alice.footprint().held <= MAX_HELD_DATAGRAMS);
      }
    }
    // Past the bound, gaps were given up on at once instead of after REORDER_HOLD_MS.
    assert.ok(alice.footprint().held > MAX_HELD_DATAGRAMS / 2);
    assert.ok(alice.stats.linesLost > 0);
  });
});

describe('sequence wrap', () => {
  it('sends a leave on the last number, then announces a new sender id from sequence 0', () => {
    const [alice, startOut] = started('alice', 0, { firstSequence: 0xffff_fffe });
    const oldId = alice.senderId;
    assert.equal(startOut.datagrams.length, 1);
    const out = alice.say(10, 'over the edge');
    const kinds = out.datagrams.map((bytes) => {
      const decoded = decodeLanDatagram(bytes, null);
      assert.ok(decoded.ok);
      return `${Buffer.from(decoded.datagram.senderId).toString('hex')}:${decoded.datagram.kind}#${decoded.datagram.sequence}`;
    });
    assert.notEqual(alice.senderId, oldId);
    assert.deepEqual(kinds, [
      `${oldId}:leave#4294967295`,
      `${alice.senderId}:announce#0`,
      `${alice.senderId}:line#1`,
    ]);
    assert.equal(alice.shownAs, 'alice');
  });

  it('seen by another peer: the old id leaves, the new one joins under the same nick', () => {
    const [alice, startOut] = started('alice', 0, { firstSequence: 0xffff_fffd });
    const [bob] = started('bob');
    const deliver = (now: number, datagrams: readonly Uint8Array[]): string[] =>
      [...datagrams.flatMap((bytes) => bob.handle(now, LAN_ADDRESS, bytes).events), ...runUntil(bob, now)]
        .filter((event) => event.type !== 'duplicate')
        .map((event) => ('nick' in event ? `${event.type} ${event.nick}` : event.type));
    // First contact at a sequence other than 0 waits REORDER_HOLD_MS for earlier ones.
    deliver(0, startOut.datagrams);
    assert.deepEqual(deliver(1_000, alice.tick(1_000).datagrams), ['joined alice']);
    assert.deepEqual(deliver(1_010, alice.say(1_010, 'hi').datagrams), [
      'left alice',
      'joined alice',
      'line alice',
    ]);
  });
});
