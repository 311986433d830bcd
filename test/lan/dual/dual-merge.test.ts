import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DualMerge, type SpokenLine } from '../../../src/lan/dual/dual-merge.ts';

const line = (nick: string, text: string, action = false): SpokenLine => ({ nick, text, action });

describe('DualMerge: one line, two paths, shown once', () => {
  it('shows the LAN copy and drops the relay copy that follows', () => {
    const merge = new DualMerge();
    assert.equal(merge.admit(0, 'lan', line('bob', 'hi')), true);
    assert.equal(merge.admit(3, 'relay', line('bob', 'hi')), false);
    assert.equal(merge.waiting, 0);
    assert.deepEqual(merge.stats, { shown: 1, merged: 1, unpaired: 0 });
  });

  it('shows the relay copy when it wins the race, and drops the late LAN copy', () => {
    const merge = new DualMerge();
    assert.equal(merge.admit(0, 'relay', line('bob', 'hi')), true);
    assert.equal(merge.admit(1, 'lan', line('bob', 'hi')), false);
  });

  it('a nick saying the same words twice is shown twice, however the copies interleave', () => {
    const merge = new DualMerge();
    const shown = [
      merge.admit(0, 'lan', line('bob', 'ok')),
      merge.admit(1, 'lan', line('bob', 'ok')),
      merge.admit(2, 'relay', line('bob', 'ok')),
      merge.admit(3, 'relay', line('bob', 'ok')),
    ];
    assert.deepEqual(shown, [true, true, false, false]);
    assert.equal(merge.waiting, 0);
  });

  it('two copies from the same path are two lines (the LAN drops its own duplicates by id)', () => {
    const merge = new DualMerge();
    assert.equal(merge.admit(0, 'relay', line('bob', 'ok')), true);
    assert.equal(merge.admit(1, 'relay', line('bob', 'ok')), true);
  });

  it('tells nicks, kinds and texts apart', () => {
    const merge = new DualMerge();
    assert.equal(merge.admit(0, 'lan', line('bob', 'waves', true)), true);
    assert.equal(merge.admit(0, 'relay', line('bob', 'waves')), true);
    assert.equal(merge.admit(0, 'relay', line('carol', 'waves', true)), true);
    assert.equal(merge.admit(0, 'relay', line('bob', 'waves!', true)), true);
    assert.equal(merge.admit(0, 'relay', line('bob', 'waves', true)), false);
  });

  it("pairs a LAN collision loser's shown name (bob#3c9a) and a look-alike case with the relay's nick", () => {
    const merge = new DualMerge();
    assert.equal(merge.admit(0, 'lan', line('Bob#3c9a', 'hi')), true);
    assert.equal(merge.admit(0, 'relay', line('bob', 'hi')), false);
  });

  it('a copy waits for its twin only for the window', () => {
    const merge = new DualMerge({ windowMs: 1000 });
    assert.equal(merge.admit(0, 'lan', line('bob', 'hi')), true);
    assert.equal(merge.admit(999, 'lan', line('bob', 'later')), true);
    assert.equal(merge.admit(1000, 'relay', line('bob', 'hi')), true);
    assert.equal(merge.admit(1001, 'relay', line('bob', 'later')), false);
    assert.equal(merge.stats.unpaired, 1);
  });

  it('at most maxWaiting copies wait; the oldest is forgotten first', () => {
    const merge = new DualMerge({ maxWaiting: 3 });
    for (let i = 0; i < 5; i++) merge.admit(i, 'relay', line('carol', `line ${i}`));
    assert.equal(merge.waiting, 3);
    assert.equal(merge.admit(9, 'lan', line('carol', 'line 0')), true);
    assert.equal(merge.admit(9, 'lan', line('carol', 'line 4')), false);
  });

  it('stays bounded over a long run of lines that never pair', () => {
    const merge = new DualMerge({ windowMs: 10, maxWaiting: 100 });
    for (let i = 0; i < 20_000; i++) merge.admit(i, i % 2 === 0 ? 'lan' : 'relay', line('x', `${i}`));
    assert.ok(merge.waiting <= 10);
  });
});

describe('DualMerge: history after the relay comes back', () => {
  it('a gap-fill line whose LAN copy was shown is dropped; one never seen is shown', () => {
    const merge = new DualMerge();
    merge.admit(0, 'lan', line('bob', 'said while you were away'));
    assert.equal(merge.admitHistory(60_000, line('bob', 'said while you were away')), false);
    assert.equal(merge.admitHistory(60_000, line('carol', 'relay only')), true);
  });

  it('a history line waits for no twin: the same line live afterwards is shown', () => {
    const merge = new DualMerge();
    assert.equal(merge.admitHistory(0, line('bob', 'hi')), true);
    assert.equal(merge.admit(1, 'lan', line('bob', 'hi')), true);
  });
});
