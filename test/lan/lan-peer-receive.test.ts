/** LanPeer's receive side: order, duplicates, gaps counted exactly, sanitising, and dual-path merging. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REORDER_HOLD_MS, REORDER_WINDOW } from '../../src/protocol/lan/limits.ts';
import { eventsOf, LAN_ADDRESS, RemoteSender, runUntil, started, texts, types } from './lan-harness.ts';

/** alice, started, having heard bob's first line ("0") so that bob is known and joined. */
function aliceHearingBob(): { alice: ReturnType<typeof started>[0]; bob: RemoteSender } {
  const [alice] = started('alice');
  const bob = new RemoteSender(0xb0);
  alice.handle(0, LAN_ADDRESS, bob.line('0'));
  return { alice, bob };
}

describe('order and duplicates', () => {
  it('shows lines in the sender order, holding one that came early until the one before it arrives', () => {
    const { alice, bob } = aliceHearingBob();
    const one = bob.line('1');
    const two = bob.line('2');
    const three = bob.line('3');
    assert.deepEqual(texts(alice.handle(10, LAN_ADDRESS, three)), []);
    assert.deepEqual(texts(alice.handle(20, LAN_ADDRESS, two)), []);
    assert.deepEqual(texts(alice.handle(30, LAN_ADDRESS, one)), ['1', '2', '3']);
    assert.equal(alice.footprint().held, 0);
  });

  it('drops a repeated datagram, held or already shown, with a duplicate event', () => {
    const { alice, bob } = aliceHearingBob();
    const one = bob.line('1');
    const two = bob.line('2');
    alice.handle(10, LAN_ADDRESS, two);
    assert.deepEqual(alice.handle(11, LAN_ADDRESS, two).events, [
      { type: 'duplicate', id: { senderId: bob.hex, sequence: 2 } },
    ]);
    alice.handle(12, LAN_ADDRESS, one);
    assert.deepEqual(types(alice.handle(13, LAN_ADDRESS, one)), ['duplicate']);
    assert.equal(alice.stats.duplicates, 2);
  });

  it('shows actions as actions, with the message id (sender id, sequence)', () => {
    const { alice, bob } = aliceHearingBob();
    assert.deepEqual(alice.handle(10, LAN_ADDRESS, bob.action('waves')).events, [
      { type: 'action', id: { senderId: bob.hex, sequence: 1 }, nick: 'bob', text: 'waves' },
    ]);
  });

  it('makes text inert exactly as the relay does (sanitize.ts), and shows nothing for nothing printable', () => {
    const { alice, bob } = aliceHearingBob();
    const hostile = 'hi \u001b]0;owned\u0007there \u001b[2Jagain \u202eevil';
    assert.deepEqual(texts(alice.handle(10, LAN_ADDRESS, bob.line(hostile))), ['hi there again evil']);
    assert.deepEqual(texts(alice.handle(20, LAN_ADDRESS, bob.line('\u001b[31m'))), []);
    assert.deepEqual(texts(alice.handle(30, LAN_ADDRESS, bob.line('next'))), ['next']);
  });
});

describe('gaps', () => {
  it('reports lost lines once the next one has waited REORDER_HOLD_MS, then shows it', () => {
    const { alice, bob } = aliceHearingBob();
    bob.line('1');
    bob.line('2');
    alice.handle(100, LAN_ADDRESS, bob.line('3'));
    assert.deepEqual(texts(runUntil(alice, 100 + REORDER_HOLD_MS - 1)), []);
    const events = runUntil(alice, 100 + REORDER_HOLD_MS);
    assert.deepEqual(events, [
      { type: 'gap', senderId: bob.hex, nick: 'bob', count: 2 },
      { type: 'line', id: { senderId: bob.hex, sequence: 3 }, nick: 'bob', text: '3' },
    ]);
    assert.equal(alice.stats.linesLost, 2);
  });

  it('counts only lost lines, not lost announcements', () => {
    const { alice, bob } = aliceHearingBob();
    bob.announce();
    bob.line('1');
    bob.announce();
    alice.handle(100, LAN_ADDRESS, bob.line('2'));
    assert.deepEqual(eventsOf(runUntil(alice, 1_000), 'gap'), [
      { type: 'gap', senderId: bob.hex, nick: 'bob', count: 1 },
    ]);
  });

  it('learns of lost last lines from the next announcement', () => {
    const { alice, bob } = aliceHearingBob();
    bob.line('1');
    bob.line('2');
    alice.handle(5_000, LAN_ADDRESS, bob.announce());
    const events = runUntil(alice, 6_000);
    assert.deepEqual(eventsOf(events, 'gap'), [{ type: 'gap', senderId: bob.hex, nick: 'bob', count: 2 }]);
  });

  it('reports nothing when only announcements were lost', () => {
    const { alice, bob } = aliceHearingBob();
    bob.announce();
    bob.announce();
    alice.handle(100, LAN_ADDRESS, bob.line('after'));
    const events = runUntil(alice, 1_000);
    assert.deepEqual(types(events), ['line']);
  });

  it('gives up at once on what a datagram far ahead of the window passes', () => {
    const { alice, bob } = aliceHearingBob();
    for (let line = 1; line <= REORDER_WINDOW + 10; line++) bob.line(String(line));
    const out = alice.handle(100, LAN_ADDRESS, bob.line('far'));
    assert.deepEqual(types(out), []);
    const events = runUntil(alice, 100 + REORDER_HOLD_MS);
    assert.deepEqual(eventsOf(events, 'gap')[0]?.count, REORDER_WINDOW + 10);
    assert.deepEqual(texts(events), ['far']);
  });

  it('drops a line that arrives after its gap was reported, counting it late', () => {
    const { alice, bob } = aliceHearingBob();
    const one = bob.line('1');
    alice.handle(100, LAN_ADDRESS, bob.line('2'));
    runUntil(alice, 100 + REORDER_HOLD_MS);
    assert.deepEqual(alice.handle(700, LAN_ADDRESS, one).events, []);
    assert.equal(alice.stats.late, 1);
  });

  it('on first contact, waits for lines sent just before and never calls older ones lost', () => {
    const [alice] = started('alice');
    const bob = new RemoteSender(0xb0, { firstSequence: 50 });
    const first = bob.line('a');
    const second = bob.line('b');
    assert.deepEqual(types(alice.handle(10, LAN_ADDRESS, second)), []);
    assert.deepEqual(texts(alice.handle(20, LAN_ADDRESS, first)), []);
    const events = runUntil(alice, 10 + REORDER_HOLD_MS);
    assert.deepEqual(types(events), ['joined', 'line', 'line']);
    assert.deepEqual(texts(events), ['a', 'b']);
  });
});

describe('dual path (relay copies under the same message id)', () => {
  it('answers hasShown for what the LAN showed, and drops the LAN copy of a line the relay showed', () => {
    const { alice, bob } = aliceHearingBob();
    assert.equal(alice.hasShown({ senderId: bob.hex, sequence: 0 }), true);
    assert.equal(alice.hasShown({ senderId: bob.hex, sequence: 1 }), false);
    alice.markShown({ senderId: bob.hex, sequence: 1 });
    assert.equal(alice.hasShown({ senderId: bob.hex, sequence: 1 }), true);
    const out = alice.handle(10, LAN_ADDRESS, bob.line('1'));
    assert.deepEqual(out.events, []);
    assert.deepEqual(texts(alice.handle(20, LAN_ADDRESS, bob.line('2'))), ['2']);
  });

  it('does not report as lost a line the LAN missed but the relay showed', () => {
    const { alice, bob } = aliceHearingBob();
    bob.line('1');
    bob.line('2');
    alice.markShown({ senderId: bob.hex, sequence: 1 });
    alice.handle(100, LAN_ADDRESS, bob.line('3'));
    const events = runUntil(alice, 1_000);
    assert.deepEqual(eventsOf(events, 'gap'), [{ type: 'gap', senderId: bob.hex, nick: 'bob', count: 1 }]);
  });

  it('remembers relay copies of senders it never heard on the LAN, and drops their LAN copy later', () => {
    const [alice] = started('alice');
    const carol = new RemoteSender(0xca, { nick: 'carol' });
    alice.markShown({ senderId: carol.hex, sequence: 0 });
    const out = alice.handle(10, LAN_ADDRESS, carol.line('seen through the relay'));
    assert.deepEqual(out.events, [{ type: 'duplicate', id: { senderId: carol.hex, sequence: 0 } }]);
    alice.handle(20, LAN_ADDRESS, carol.line('new'));
    // Sequence 1 is first contact: it waits for a sequence 0 that could still be on its way.
    assert.deepEqual(types(runUntil(alice, 20 + REORDER_HOLD_MS)), ['joined', 'line']);
  });
});
