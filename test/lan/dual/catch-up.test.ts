import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_CATCH_UP, RelayCatchUp } from '../../../src/lan/dual/catch-up.ts';

describe('RelayCatchUp: what the relay missed is said again when it is back', () => {
  it('lines said while the relay was away, in order', () => {
    const catchUp = new RelayCatchUp(60_000);
    catchUp.missed(0, 'one');
    catchUp.missed(5, 'two');
    assert.deepEqual(catchUp.take(10), ['one', 'two']);
    assert.deepEqual(catchUp.take(11), []);
  });

  it('an acknowledged line is not said again; a failed one is', () => {
    const catchUp = new RelayCatchUp(60_000);
    catchUp.sent(0, 7, 'kept');
    catchUp.sent(1, 8, 'lost');
    catchUp.acked(7);
    catchUp.failed(8);
    catchUp.failed(99);
    assert.deepEqual(catchUp.take(2), ['lost']);
  });

  it('a lost session puts every unacknowledged line back, ordered with the missed ones by when said', () => {
    const catchUp = new RelayCatchUp(60_000);
    catchUp.sent(0, 1, 'first');
    catchUp.missed(2, 'third');
    catchUp.sent(1, 2, 'second');
    catchUp.sessionLost();
    assert.deepEqual(catchUp.take(3), ['first', 'second', 'third']);
  });

  it('drops lines older than the window and keeps only the newest MAX_CATCH_UP', () => {
    const catchUp = new RelayCatchUp(1000);
    catchUp.missed(0, 'stale');
    for (let i = 0; i < MAX_CATCH_UP + 5; i++) catchUp.missed(900, `line ${i}`);
    assert.equal(catchUp.size, MAX_CATCH_UP);
    const lines = catchUp.take(1001);
    assert.equal(lines.length, MAX_CATCH_UP);
    assert.equal(lines[0], 'line 5');
    catchUp.missed(0, 'old');
    assert.deepEqual(catchUp.take(1000), []);
  });
});
