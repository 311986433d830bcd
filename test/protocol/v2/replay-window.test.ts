import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { REPLAY_WINDOW } from '../../../src/protocol/v2/limits.ts';
import { ReplayWindow } from '../../../src/protocol/v2/replay-window.ts';

/** The obvious model: remember every number, refuse repeats and anything REPLAY_WINDOW below the top. */
class NaiveWindow {
  private readonly seen = new Set<number>();
  private top = -1;

  accept(packetNumber: number): boolean {
    if (this.seen.has(packetNumber)) return false;
    if (packetNumber <= this.top - REPLAY_WINDOW) return false;
    this.seen.add(packetNumber);
    this.top = Math.max(this.top, packetNumber);
    return true;
  }
}

/** Where a walk from 0 is after each step, never below 0. */
function positionsAfter(steps: readonly number[]): number[] {
  let at = 0;
  return steps.map((step) => {
    at = Math.max(0, at + step);
    return at;
  });
}

function acceptAll(window: ReplayWindow, numbers: readonly number[]): boolean[] {
  return numbers.map((packetNumber) => window.accept(packetNumber));
}

describe('the replay window (RFC 6479)', () => {
  it('accepts each number once: a replayed datagram is dropped', () => {
    const window = new ReplayWindow();
    assert.deepEqual(acceptAll(window, [0, 1, 1, 2, 0, 2]), [true, true, false, true, false, false]);
    assert.equal(window.highest, 2);
  });

  it('accepts numbers reordered within the window, once each', () => {
    const window = new ReplayWindow();
    assert.deepEqual(acceptAll(window, [5, 3, 4, 1000, 2, 3, 999, 7]), [
      true,
      true,
      true,
      true,
      true,
      false,
      true,
      true,
    ]);
  });

  it('refuses numbers older than the last 1,024', () => {
    const window = new ReplayWindow();
    window.accept(2000);
    assert.equal(window.accept(2000 - REPLAY_WINDOW), false);
    assert.equal(window.accept(2000 - REPLAY_WINDOW + 1), true);
    assert.equal(window.accept(0), false);
  });

  it('forgets what slid out of the window even after a long jump ahead', () => {
    const window = new ReplayWindow();
    acceptAll(window, [0, 1, 2, 31, 32, 33]);
    assert.equal(window.accept(100_000), true);
    assert.equal(window.accept(100_000 - 1), true);
    assert.equal(window.accept(100_000 - REPLAY_WINDOW + 1), true);
    assert.equal(window.accept(33), false);
  });

  it('reuses ring blocks without remembering their old numbers', () => {
    const window = new ReplayWindow();
    for (let packetNumber = 0; packetNumber < 5000; packetNumber += 2)
      assert.equal(window.accept(packetNumber), true);
    for (let packetNumber = 5000 - REPLAY_WINDOW + 1; packetNumber < 5000; packetNumber++) {
      assert.equal(window.accept(packetNumber), packetNumber % 2 === 1, `${packetNumber}`);
    }
  });

  it('takes the whole u32 range and refuses anything else', () => {
    const window = new ReplayWindow();
    assert.equal(window.accept(0xffff_ffff), true);
    assert.equal(window.accept(0xffff_ffff), false);
    assert.equal(window.accept(0xffff_ffff - 1), true);
    for (const bad of [-1, 2 ** 32, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.equal(new ReplayWindow().accept(bad), false, `${bad}`);
    }
  });

  it('answers exactly as a model that remembers everything (property)', () => {
    const nearby = fc.integer({ min: 0, max: 4 * REPLAY_WINDOW });
    // Mostly small steps forward and back, now and then a jump past (or back beyond) the whole window.
    const step = fc.oneof(
      { weight: 10, arbitrary: fc.integer({ min: -40, max: 70 }) },
      { weight: 1, arbitrary: fc.integer({ min: -2 * REPLAY_WINDOW, max: 3 * REPLAY_WINDOW }) },
    );
    const climbing = fc.array(step, { maxLength: 400 }).map(positionsAfter);
    // A dense run longer than the window, then replays of it: what an attacker does, and what would find a
    // ring block reused while the window still covers it.
    const dense = fc
      .array(fc.integer({ min: 1, max: 3 }), { minLength: 400, maxLength: 1500 })
      .map(positionsAfter);
    const replayed = fc
      .oneof(climbing, dense)
      .chain((numbers) => fc.shuffledSubarray(numbers).map((again) => [...numbers, ...again]));
    const sequences = fc.oneof(fc.array(nearby, { maxLength: 400 }), climbing, replayed);
    fc.assert(
      fc.property(sequences, (numbers) => {
        const model = new NaiveWindow();
        assert.deepEqual(
          acceptAll(new ReplayWindow(), numbers),
          numbers.map((packetNumber) => model.accept(packetNumber)),
        );
      }),
      { numRuns: 500 },
    );
  });
});
