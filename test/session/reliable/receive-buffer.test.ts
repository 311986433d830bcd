import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RECEIVE_WINDOW } from '../../../src/protocol/v2/limits.ts';
import { buildAckInfo, isAcknowledged } from '../../../src/session/reliable/ack-bitmap.ts';
import { type Delivery, ReceiveBuffer } from '../../../src/session/reliable/receive-buffer.ts';

function line(seq: number): Delivery {
  return { type: 'line', seq, text: `L${seq}` };
}

/** Feeds lines by number; returns what was delivered and how each arrived. */
function feed(buffer: ReceiveBuffer, seqs: readonly number[]): { out: Delivery[]; arrivals: string[] } {
  const out: Delivery[] = [];
  const arrivals = seqs.map((seq) => buffer.onLine(seq, `L${seq}`, out));
  return { out, arrivals };
}

describe('ReceiveBuffer: order and duplicates', () => {
  it('delivers in-order lines at once', () => {
    const buffer = new ReceiveBuffer(RECEIVE_WINDOW);
    const { out, arrivals } = feed(buffer, [0, 1, 2]);
    assert.deepEqual(out, [line(0), line(1), line(2)]);
    assert.deepEqual(arrivals, ['in-order', 'in-order', 'in-order']);
    assert.equal(buffer.next, 3);
  });

  it('holds later lines until the missing one arrives, then delivers the run in order', () => {
    const buffer = new ReceiveBuffer(RECEIVE_WINDOW);
    const early = feed(buffer, [2, 1, 4]);
    assert.deepEqual(early.out, []);
    assert.deepEqual(early.arrivals, ['out-of-order', 'out-of-order', 'out-of-order']);
    assert.equal(buffer.buffered, 3);
    const fill = feed(buffer, [0]);
    assert.deepEqual(fill.out, [line(0), line(1), line(2)]);
    assert.deepEqual(fill.arrivals, ['filled-gap']);
    assert.deepEqual([buffer.next, buffer.buffered], [3, 1]);
  });

  it('drops duplicates, delivered or held', () => {
    const buffer = new ReceiveBuffer(RECEIVE_WINDOW);
    const { out, arrivals } = feed(buffer, [0, 0, 2, 2]);
    assert.deepEqual(out, [line(0)]);
    assert.deepEqual(arrivals, ['in-order', 'duplicate', 'out-of-order', 'duplicate']);
    assert.equal(buffer.stats.duplicatesDropped, 2);
  });

  it('accepts [next, next + window) and drops anything beyond, without holding it', () => {
    const buffer = new ReceiveBuffer(RECEIVE_WINDOW);
    const { arrivals } = feed(buffer, [RECEIVE_WINDOW - 1, RECEIVE_WINDOW, RECEIVE_WINDOW + 1000]);
    assert.deepEqual(arrivals, ['out-of-order', 'beyond-window', 'beyond-window']);
    assert.deepEqual([buffer.buffered, buffer.stats.beyondWindowDropped], [1, 2]);
    feed(buffer, [0]);
    assert.equal(feed(buffer, [RECEIVE_WINDOW]).arrivals[0], 'out-of-order', 'the window moved');
  });

  it('delivers any arrival order of any duplicated lines exactly once, in order, holding < window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(40), { maxLength: 200 }).chain((extra) =>
          fc.shuffledSubarray([...Array.from({ length: 41 }, (_, i) => i), ...extra], {
            minLength: 41 + extra.length,
          }),
        ),
        (arrivalOrder) => {
          const buffer = new ReceiveBuffer(16);
          const delivered: Delivery[] = [];
          let pending = [...arrivalOrder];
          // Beyond-window lines are dropped: re-offer them, as the sender would retransmit them.
          while (pending.length > 0) {
            const dropped = pending.filter(
              (seq) => buffer.onLine(seq, `L${seq}`, delivered) === 'beyond-window',
            );
            assert.ok(buffer.buffered < 16);
            pending = dropped;
          }
          assert.deepEqual(
            delivered,
            Array.from({ length: 41 }, (_, i) => line(i)),
          );
        },
      ),
    );
  });
});

describe('ReceiveBuffer: SKIP', () => {
  it('reports the skipped lines as one gap and goes on with later lines', () => {
    const buffer = new ReceiveBuffer(RECEIVE_WINDOW);
    const out: Delivery[] = [];
    feed(buffer, [0]);
    assert.equal(buffer.onSkip(4, out), true);
    buffer.onLine(4, 'L4', out);
    assert.deepEqual(out, [{ type: 'gap', seq: 1, count: 3 }, line(4)]);
    assert.deepEqual([buffer.next, buffer.stats.linesLost], [5, 3]);
  });

  it('still delivers held lines below the SKIP, with a gap in place of each missing run', () => {
    const buffer = new ReceiveBuffer(RECEIVE_WINDOW);
    feed(buffer, [2, 5, 6, 9]);
    const out: Delivery[] = [];
    buffer.onSkip(8, out);
    assert.deepEqual(out, [
      { type: 'gap', seq: 0, count: 2 },
      line(2),
      { type: 'gap', seq: 3, count: 2 },
      line(5),
      line(6),
      { type: 'gap', seq: 7, count: 1 },
    ]);
    assert.deepEqual([buffer.next, buffer.buffered], [8, 1]);
    buffer.onLine(8, 'L8', out);
    assert.deepEqual(out.slice(-2), [line(8), line(9)]);
  });

  it('delivers lines just after the SKIP that were already held', () => {
    const buffer = new ReceiveBuffer(RECEIVE_WINDOW);
    feed(buffer, [3, 4]);
    const out: Delivery[] = [];
    buffer.onSkip(3, out);
    assert.deepEqual(out, [{ type: 'gap', seq: 0, count: 3 }, line(3), line(4)]);
  });

  it('ignores a stale or repeated SKIP', () => {
    const buffer = new ReceiveBuffer(RECEIVE_WINDOW);
    feed(buffer, [0, 1, 2]);
    const out: Delivery[] = [];
    assert.equal(buffer.onSkip(2, out), false);
    assert.equal(buffer.onSkip(3, out), false);
    assert.deepEqual(out, []);
  });

  it('takes a SKIP far beyond the window (a long outage) as one gap', () => {
    const buffer = new ReceiveBuffer(RECEIVE_WINDOW);
    const out: Delivery[] = [];
    buffer.onSkip(100_000, out);
    assert.deepEqual(out, [{ type: 'gap', seq: 0, count: 100_000 }]);
    assert.equal(buffer.next, 100_000);
  });
});

describe('ack info', () => {
  it('ack next is the lowest missing line; bit i says line next + 1 + i is held', () => {
    const buffer = new ReceiveBuffer(RECEIVE_WINDOW);
    feed(buffer, [0, 1, 3, 5, 34, 35]);
    // next 2; held 3 (bit 0), 5 (bit 2), 34 (bit 31); 35 is beyond the bitmap.
    assert.deepEqual(buffer.ackInfo(), { next: 2, bitmap: (1 | (1 << 2) | (1 << 31)) >>> 0 });
  });

  it('the bitmap is an unsigned 32-bit number', () => {
    const all = buildAckInfo(7, () => true);
    assert.equal(all.bitmap, 0xffff_ffff);
    assert.equal(buildAckInfo(7, () => false).bitmap, 0);
  });

  it('isAcknowledged reads it back: below next, or a set bit within the 32 after next', () => {
    const info = { next: 10, bitmap: (1 | (1 << 31)) >>> 0 };
    const acked = [0, 9, 10, 11, 12, 42, 43].filter((seq) => isAcknowledged(seq, info));
    assert.deepEqual(acked, [0, 9, 11, 42]);
  });

  it('round-trips any set of held lines within the bitmap', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.uniqueArray(fc.integer({ min: 1, max: 32 })), (next, offsets) => {
        const held = new Set(offsets.map((offset) => next + offset));
        const info = buildAckInfo(next, (seq) => held.has(seq));
        for (let seq = next; seq <= next + 40; seq += 1) {
          assert.equal(isAcknowledged(seq, info), held.has(seq));
        }
      }),
    );
  });
});
