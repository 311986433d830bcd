import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type HeapSlot, TimerHeap } from '../../../src/session/relay-endpoint/timer-heap.ts';

interface Item extends HeapSlot {
  readonly name: number;
}

function items(count: number): Item[] {
  return Array.from({ length: count }, (_, name) => ({ name, heapIndex: -1 }));
}

/** Empties the heap earliest first, as the relay's tick takes what is due. */
function drain(heap: TimerHeap<Item>): number[] {
  const dues: number[] = [];
  for (let left = heap.size; left > 0; left--) {
    const first = heap.first;
    const at = heap.earliest;
    if (first === undefined || at === null) break;
    heap.delete(first);
    dues.push(at);
  }
  return dues;
}

describe('timer heap', () => {
  it('is empty at first, and after its only deadline is deleted', () => {
    const heap = new TimerHeap<Item>();
    const [a] = items(1);
    assert.ok(a !== undefined);
    assert.equal(heap.earliest, null);
    heap.set(a, 10);
    assert.equal(heap.earliest, 10);
    assert.equal(heap.first, a);
    heap.delete(a);
    assert.equal(heap.earliest, null);
    assert.equal(a.heapIndex, -1);
    heap.delete(a);
    assert.equal(heap.size, 0);
  });

  it('moving a deadline later lets the next one come first', () => {
    const heap = new TimerHeap<Item>();
    const [a, b] = items(2);
    assert.ok(a !== undefined && b !== undefined);
    heap.set(a, 10);
    heap.set(b, 20);
    heap.set(a, 30);
    assert.equal(heap.first, b);
    assert.deepEqual(drain(heap), [20, 30]);
  });

  it('always offers the earliest deadline, whatever sets, moves and deletes came before (property)', () => {
    const op = fc.record({
      item: fc.nat({ max: 19 }),
      due: fc.option(fc.integer({ min: 0, max: 1_000 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const heap = new TimerHeap<Item>();
        const pool = items(20);
        const model = new Map<number, number>();
        for (const { item, due } of ops) {
          const target = pool[item];
          if (target === undefined) continue;
          if (due === undefined) {
            heap.delete(target);
            model.delete(item);
          } else {
            heap.set(target, due);
            model.set(item, due);
          }
          const expected = model.size === 0 ? null : Math.min(...model.values());
          assert.equal(heap.earliest, expected);
          assert.equal(heap.size, model.size);
        }
        assert.deepEqual(
          drain(heap),
          [...model.values()].sort((x, y) => x - y),
        );
        assert.ok(pool.every((p) => p.heapIndex === -1));
      }),
    );
  });
});
