/** NextLineRoom: the room a dual-path client's next plain line is for (only the lobby's go on the LAN). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NextLineRoom } from '../../../src/lan/dual/next-line-room.ts';

describe('NextLineRoom', () => {
  it("is the relay's current room while nothing else was asked for", () => {
    const next = new NextLineRoom();
    assert.equal(next.room('#lobby'), '#lobby');
    assert.equal(next.room('#Rust'), '#rust');
    assert.equal(next.room(null), null);
    next.saying('hello');
    next.saying('/who');
    next.saying('/msg bob hi');
    assert.equal(next.room('#lobby'), '#lobby');
  });

  it('a /switch or /join asked for wins before the relay confirms it, or if it never does', () => {
    const next = new NextLineRoom();
    next.saying('/join #Rust secret');
    assert.equal(next.room('#lobby'), '#rust');
    next.relayTalksIn('#lobby');
    assert.equal(next.room('#lobby'), '#rust', 'other rooms news does not end the wait');
    next.saying('/switch #lobby');
    assert.equal(next.room('#rust'), '#lobby');
  });

  it("gives way to the relay's word once it talks in the room asked for", () => {
    const next = new NextLineRoom();
    next.saying('/switch #rust');
    next.relayTalksIn('#RUST');
    assert.equal(next.room('#lobby'), '#lobby', 'a later change by the relay itself is followed');
  });

  it('ignores a /switch without a room, and text that only looks like one', () => {
    const next = new NextLineRoom();
    next.saying('/switch');
    next.saying('//switch #rust');
    next.saying('/switch 2');
    assert.equal(next.room('#lobby'), '#lobby');
  });
});
