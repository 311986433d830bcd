/** Nick collisions on the LAN: resolved by claim time then sender id, the same way by every peer. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EPOCH, eventsOf, LAN_ADDRESS, RemoteSender, started, texts } from './lan-harness.ts';

describe('nick collisions', () => {
  it('shows a later claimant of a nick with its id suffix, and says who keeps it', () => {
    const [alice] = started('alice');
    const first = new RemoteSender(0x11, { claimedAt: EPOCH + 1 });
    const second = new RemoteSender(0x22, { claimedAt: EPOCH + 2 });
    alice.handle(10, LAN_ADDRESS, first.line('I was here first'));
    const out = alice.handle(20, LAN_ADDRESS, second.line('me too'));
    assert.deepEqual(out.events, [
      { type: 'joined', senderId: second.hex, nick: 'bob#2222' },
      {
        type: 'collision',
        senderId: second.hex,
        nick: 'bob',
        shownAs: 'bob#2222',
        from: null,
        keptBy: first.hex,
        self: false,
      },
      { type: 'line', id: { senderId: second.hex, sequence: 0 }, nick: 'bob#2222', text: 'me too' },
    ]);
  });

  it('moves the nick to an earlier claim heard later, telling that the present holder is renamed', () => {
    const [alice] = started('alice');
    const later = new RemoteSender(0x22, { claimedAt: EPOCH + 2 });
    const earlier = new RemoteSender(0x11, { claimedAt: EPOCH + 1 });
    alice.handle(10, LAN_ADDRESS, later.line('hi'));
    const out = alice.handle(20, LAN_ADDRESS, earlier.line('hello'));
    assert.deepEqual(eventsOf(out, 'collision'), [
      {
        type: 'collision',
        senderId: later.hex,
        nick: 'bob',
        shownAs: 'bob#2222',
        from: 'bob',
        keptBy: earlier.hex,
        self: false,
      },
    ]);
    assert.deepEqual(
      alice.who(30).map((entry) => entry.shownAs),
      ['alice', 'bob', 'bob#2222'],
    );
  });

  it('treats look-alike nicks as one ("bob" and Cyrillic "bоb")', () => {
    const [alice] = started('alice');
    alice.handle(10, LAN_ADDRESS, new RemoteSender(0x11, { claimedAt: EPOCH + 1 }).line('1'));
    const out = alice.handle(
      20,
      LAN_ADDRESS,
      new RemoteSender(0x22, { nick: 'b\u043eb', claimedAt: EPOCH + 2 }).line('2'),
    );
    assert.deepEqual(eventsOf(out, 'line')[0]?.nick, 'b\u043eb#2222');
  });

  it('tells us when we lose our own nick, and shows the others our suffixed name', () => {
    const [alice] = started('alice', 0, { claimedAt: EPOCH + 5 });
    const older = new RemoteSender(0x11, { nick: 'alice', claimedAt: EPOCH + 1 });
    const out = alice.handle(10, LAN_ADDRESS, older.line('I am alice'));
    const collision = eventsOf(out, 'collision')[0];
    assert.equal(collision?.self, true);
    assert.equal(collision?.keptBy, older.hex);
    assert.equal(alice.shownAs, `alice#${alice.senderId.slice(0, 4)}`);
  });

  it('keeps our nick against a later claimant, who is the one suffixed', () => {
    const [alice] = started('alice', 0, { claimedAt: EPOCH });
    const out = alice.handle(
      10,
      LAN_ADDRESS,
      new RemoteSender(0x11, { nick: 'alice', claimedAt: EPOCH + 1 }).line('x'),
    );
    assert.equal(eventsOf(out, 'collision')[0]?.self, false);
    assert.equal(alice.shownAs, 'alice');
  });

  it('gives the nick back to the suffixed sender when the holder leaves', () => {
    const [alice] = started('alice');
    const holder = new RemoteSender(0x11, { claimedAt: EPOCH + 1 });
    const other = new RemoteSender(0x22, { claimedAt: EPOCH + 2 });
    alice.handle(10, LAN_ADDRESS, holder.line('1'));
    alice.handle(20, LAN_ADDRESS, other.line('2'));
    const out = alice.handle(30, LAN_ADDRESS, holder.leave());
    assert.deepEqual(out.events, [
      { type: 'left', senderId: holder.hex, nick: 'bob' },
      { type: 'renamed', senderId: other.hex, from: 'bob#2222', to: 'bob', self: false },
    ]);
    assert.deepEqual(texts(alice.handle(40, LAN_ADDRESS, other.line('mine now'))), ['mine now']);
  });

  it('follows a sender that changes nick, in its stream order', () => {
    const [alice] = started('alice');
    const bob = new RemoteSender(0x11);
    alice.handle(10, LAN_ADDRESS, bob.line('1'));
    bob.nick = 'robert';
    const out = alice.handle(20, LAN_ADDRESS, bob.announce());
    assert.deepEqual(out.events, [
      { type: 'renamed', senderId: bob.hex, from: 'bob', to: 'robert', self: false },
    ]);
  });
});
