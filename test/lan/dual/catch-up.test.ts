import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOLD_MS, lineKey, MAX_CATCH_UP, RelayCatchUp } from '../../../src/lan/dual/catch-up.ts';

/** What `take` says again, failing the test while it is held. */
function said(catchUp: RelayCatchUp, now: number): string[] {
  const release = catchUp.take(now);
  assert.notEqual(release, null, 'held');
  return release?.lines ?? [];
}

describe('RelayCatchUp: what the relay missed is said again when it is back', () => {
  it('lines said while the relay was away, in order', () => {
    const catchUp = new RelayCatchUp(60_000);
    catchUp.missed(0, 'one');
    catchUp.missed(5, 'two');
    assert.deepEqual(said(catchUp, 10), ['one', 'two']);
    assert.deepEqual(said(catchUp, 11), []);
  });

  it('an acknowledged line is not said again; a failed one is', () => {
    const catchUp = new RelayCatchUp(60_000);
    catchUp.sent(0, 7, 'kept');
    catchUp.sent(1, 8, 'lost');
    catchUp.acked(7);
    catchUp.failed(8);
    catchUp.failed(99);
    assert.deepEqual(said(catchUp, 2), ['lost']);
  });

  it('a lost session puts every unacknowledged line back, ordered with the missed ones by when said', () => {
    const catchUp = new RelayCatchUp(60_000);
    catchUp.sent(0, 1, 'first');
    catchUp.missed(2, 'third');
    catchUp.sent(1, 2, 'second');
    catchUp.sessionLost();
    assert.deepEqual(said(catchUp, 3), ['first', 'second', 'third']);
  });

  it('drops lines older than the window and keeps only the newest MAX_CATCH_UP', () => {
    const catchUp = new RelayCatchUp(1000);
    catchUp.missed(0, 'stale');
    for (let i = 0; i < MAX_CATCH_UP + 5; i++) catchUp.missed(900, `line ${i}`);
    assert.equal(catchUp.size, MAX_CATCH_UP);
    const lines = said(catchUp, 1001);
    assert.equal(lines.length, MAX_CATCH_UP);
    assert.equal(lines[0], 'line 5');
    catchUp.missed(0, 'old');
    assert.deepEqual(said(catchUp, 1000), []);
  });

  it('after a reconnect, held until the history is over; a line the relay kept is not said again', () => {
    const catchUp = new RelayCatchUp(60_000);
    catchUp.sent(0, 1, 'kept', lineKey('kept', false));
    catchUp.sent(1, 2, '/me lost', lineKey('lost', true));
    catchUp.missed(2, 'on the LAN');
    catchUp.reconnected(100);
    assert.equal(catchUp.take(101), null);
    catchUp.keptByRelay(40, lineKey('kept', false));
    assert.equal(catchUp.take(102), null);
    catchUp.historyOver();
    assert.deepEqual(catchUp.take(103), { lines: ['/me lost', 'on the LAN'], kept: 1 });
  });

  it('one history line matches one line said: the same text said twice and kept once is said once again', () => {
    const catchUp = new RelayCatchUp(60_000);
    catchUp.sent(0, 1, 'ok');
    catchUp.sent(1, 2, 'ok');
    catchUp.reconnected(10);
    catchUp.keptByRelay(7, 'ok');
    catchUp.keptByRelay(7, 'ok');
    catchUp.historyOver();
    assert.deepEqual(catchUp.take(11), { lines: ['ok'], kept: 1 });
  });

  it('an acknowledged line in the history matches itself, not a later unacknowledged one', () => {
    const catchUp = new RelayCatchUp(60_000);
    catchUp.sent(0, 1, 'ok');
    catchUp.acked(1);
    catchUp.sent(1, 2, 'other');
    catchUp.acked(2);
    catchUp.sent(2, 3, 'ok');
    catchUp.reconnected(10);
    // Oldest first whatever the order they came in: the fill's answer may follow the history on join.
    catchUp.keptByRelay(9, 'other');
    catchUp.keptByRelay(8, 'ok');
    catchUp.historyOver();
    assert.deepEqual(catchUp.take(11), { lines: ['ok'], kept: 0 });
  });

  it('a line found once is not found again at the next reconnect', () => {
    const catchUp = new RelayCatchUp(60_000);
    catchUp.sent(0, 1, 'hi');
    catchUp.reconnected(10);
    catchUp.keptByRelay(5, 'hi');
    catchUp.historyOver();
    assert.deepEqual(catchUp.take(11), { lines: [], kept: 1 });
    catchUp.sent(20, 2, 'hi');
    catchUp.reconnected(30);
    catchUp.keptByRelay(5, 'hi');
    catchUp.historyOver();
    assert.deepEqual(catchUp.take(31), { lines: ['hi'], kept: 0 });
  });

  it('no history (a relay without a store): the hold ends after HOLD_MS and every line is said', () => {
    const catchUp = new RelayCatchUp(60_000);
    catchUp.sent(0, 1, 'one');
    catchUp.reconnected(1000);
    assert.ok(catchUp.held(1000 + HOLD_MS - 1));
    assert.equal(catchUp.take(1000 + HOLD_MS - 1), null);
    assert.ok(!catchUp.held(1000 + HOLD_MS));
    assert.deepEqual(catchUp.take(1000 + HOLD_MS), { lines: ['one'], kept: 0 });
  });

  it('not held when every waiting line was said on the LAN only; history outside a hold is ignored', () => {
    const catchUp = new RelayCatchUp(60_000);
    catchUp.missed(0, 'lan');
    catchUp.reconnected(5);
    assert.ok(!catchUp.held(5));
    catchUp.keptByRelay(3, 'lan');
    assert.deepEqual(catchUp.take(6), { lines: ['lan'], kept: 0 });
  });
});
