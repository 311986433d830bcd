/** SequenceWindow: which recent sequence numbers were shown, with a fixed bitmap. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SequenceWindow } from '../../src/lan/sequence-window.ts';
import { SHOWN_WINDOW } from '../../src/protocol/lan/limits.ts';

describe('SequenceWindow', () => {
  it('knows nothing before the first mark', () => {
    const window = new SequenceWindow();
    assert.equal(window.has(0), false);
    assert.equal(window.countMarked(0, 100), 0);
  });

  it('remembers marked numbers, out of order, and not the ones between', () => {
    const window = new SequenceWindow();
    for (const sequence of [5, 3, 9]) window.mark(sequence);
    assert.deepEqual(
      [3, 4, 5, 6, 9, 10].map((sequence) => window.has(sequence)),
      [true, false, true, false, true, false],
    );
    assert.equal(window.countMarked(0, 10), 3);
    assert.equal(window.countMarked(4, 9), 1);
  });

  it('takes numbers older than the window as shown (never show them now), but does not count them', () => {
    const window = new SequenceWindow();
    window.mark(1_000);
    assert.equal(window.has(1_000 - SHOWN_WINDOW), true);
    assert.equal(window.has(1_000 - SHOWN_WINDOW + 1), false);
    assert.equal(window.countMarked(0, 1_000), 0);
  });

  it('forgets bits it moved past, after any jump (up to 2^32)', () => {
    const window = new SequenceWindow();
    window.mark(40);
    window.mark(40 + SHOWN_WINDOW + 32 * 3);
    assert.equal(window.has(40 + SHOWN_WINDOW + 32 * 3 - 1), false);
    window.mark(0xffff_ffff);
    assert.equal(window.has(0xffff_ffff), true);
    assert.equal(window.has(0xffff_fffe), false);
  });

  it('agrees with a plain set for every number inside the window', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 2_000 }), { maxLength: 300 }), (marks) => {
        const window = new SequenceWindow();
        const set = new Set<number>();
        for (const sequence of marks) {
          window.mark(sequence);
          set.add(sequence);
        }
        const top = Math.max(-1, ...marks);
        for (let sequence = Math.max(0, top - SHOWN_WINDOW + 1); sequence <= top + 2; sequence++) {
          assert.equal(window.has(sequence), set.has(sequence), `sequence ${sequence}`);
        }
      }),
      { numRuns: 300 },
    );
  });
});
