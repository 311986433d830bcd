/** ReorderBuffer: one sender's datagrams back in order, with a bounded wait for the missing ones. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type Released, ReorderBuffer } from '../../src/lan/reorder-buffer.ts';
import { REORDER_HOLD_MS, REORDER_WINDOW } from '../../src/protocol/lan/limits.ts';

function offered(buffer: ReorderBuffer<string>, now: number, sequence: number): Released<string>[] | string {
  const offer = buffer.offer(now, sequence, `#${sequence}`);
  return offer.status === 'accepted' ? offer.released : offer.status;
}

const summary = (released: Released<string>[] | string): string[] | string =>
  typeof released === 'string'
    ? released
    : released.map((item) =>
        item.skippedFrom === item.sequence
          ? item.item
          : `${item.item} after ${item.sequence - item.skippedFrom} lost`,
      );

describe('ReorderBuffer', () => {
  it('releases a stream that starts at 0 at once, in order', () => {
    const buffer = new ReorderBuffer<string>(0);
    assert.deepEqual(summary(offered(buffer, 0, 0)), ['#0']);
    assert.deepEqual(summary(offered(buffer, 0, 1)), ['#1']);
  });

  it('holds a datagram that came early and releases it with the one before', () => {
    const buffer = new ReorderBuffer<string>(0);
    offered(buffer, 0, 0);
    assert.deepEqual(summary(offered(buffer, 10, 2)), []);
    assert.equal(buffer.deadline(), 10 + REORDER_HOLD_MS);
    assert.deepEqual(summary(offered(buffer, 20, 1)), ['#1', '#2']);
    assert.equal(buffer.deadline(), null);
  });

  it('calls a repeat of a held datagram held, and one already released stale', () => {
    const buffer = new ReorderBuffer<string>(0);
    offered(buffer, 0, 0);
    offered(buffer, 0, 2);
    assert.equal(offered(buffer, 0, 2), 'held');
    assert.equal(offered(buffer, 0, 0), 'stale');
  });

  it('gives up on a missing datagram once the next one has waited REORDER_HOLD_MS, not sooner', () => {
    const buffer = new ReorderBuffer<string>(0);
    offered(buffer, 0, 0);
    offered(buffer, 100, 3);
    offered(buffer, 300, 5);
    assert.deepEqual(buffer.expire(100 + REORDER_HOLD_MS - 1), []);
    assert.deepEqual(summary(buffer.expire(100 + REORDER_HOLD_MS)), ['#3 after 2 lost']);
    assert.equal(buffer.deadline(), 300 + REORDER_HOLD_MS);
    assert.deepEqual(summary(buffer.expire(300 + REORDER_HOLD_MS)), ['#5 after 1 lost']);
    assert.equal(offered(buffer, 900, 4), 'stale');
  });

  it('jumps the window for a datagram too far ahead, releasing what it passes', () => {
    const buffer = new ReorderBuffer<string>(0);
    offered(buffer, 0, 0);
    offered(buffer, 0, 2);
    const far = 1 + REORDER_WINDOW + 5;
    assert.deepEqual(summary(offered(buffer, 0, far)), ['#2 after 1 lost']);
    assert.equal(buffer.size, 1);
    assert.deepEqual(summary(buffer.skipGap()), [`#${far} after ${far - 3} lost`]);
  });

  it('waits on first contact for datagrams sent just before it, and counts nothing before them as lost', () => {
    const buffer = new ReorderBuffer<string>(100);
    assert.deepEqual(summary(offered(buffer, 0, 100)), []);
    assert.deepEqual(summary(offered(buffer, 50, 98)), []);
    assert.deepEqual(summary(buffer.expire(REORDER_HOLD_MS)), ['#98', '#100 after 1 lost']);
  });

  it('releases each sequence number at most once, in increasing order, whatever the arrivals', () => {
    const arrival = fc.array(fc.tuple(fc.nat({ max: 80 }), fc.nat({ max: 700 })), { maxLength: 120 });
    fc.assert(
      fc.property(arrival, (arrivals) => {
        const buffer = new ReorderBuffer<string>(0);
        const released: number[] = [];
        let now = 0;
        for (const [sequence, wait] of arrivals) {
          now += wait;
          for (const item of buffer.expire(now)) released.push(item.sequence);
          const offer = buffer.offer(now, sequence, '');
          if (offer.status === 'accepted') released.push(...offer.released.map((item) => item.sequence));
          assert.ok(buffer.size <= REORDER_WINDOW);
        }
        for (const item of buffer.expire(now + REORDER_HOLD_MS)) released.push(item.sequence);
        assert.equal(buffer.size, 0);
        assert.deepEqual(
          released,
          [...new Set(released)].sort((a, b) => a - b),
        );
      }),
      { numRuns: 500 },
    );
  });
});
