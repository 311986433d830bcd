import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { IntrusiveList, type ListLinks } from '../../src/relay/intrusive-list.ts';

class Item implements ListLinks<Item> {
  prev: Item | undefined = undefined;
  next: Item | undefined = undefined;
  constructor(readonly id: number) {}
}

function ids(list: IntrusiveList<Item>): number[] {
  return [...list].map((item) => item.id);
}

describe('the intrusive list behind the activity order', () => {
  it('keeps items in the order they were pushed, and moves one to the end', () => {
    const list = new IntrusiveList<Item>();
    const [a, b, c] = [new Item(1), new Item(2), new Item(3)];
    list.push(a);
    list.push(b);
    list.push(c);
    list.moveToEnd(a);
    assert.deepEqual(ids(list), [2, 3, 1]);
    assert.equal(list.first, b);
    assert.equal(list.size, 3);
  });

  it('removes from the head, the middle and the end, and refuses an item it does not hold', () => {
    const list = new IntrusiveList<Item>();
    const items = [1, 2, 3, 4].map((id) => new Item(id));
    for (const item of items) list.push(item);
    const [one, two, , four] = items as [Item, Item, Item, Item];
    assert.equal(list.remove(two), true);
    assert.equal(list.remove(one), true);
    assert.equal(list.remove(four), true);
    assert.equal(list.remove(four), false, 'already removed');
    assert.deepEqual(ids(list), [3]);
    assert.equal(list.has(one), false);
    assert.equal(list.size, 1);
  });

  it('lets the walker move the item it was just given to the end, and meets it again there', () => {
    const list = new IntrusiveList<Item>();
    for (const id of [1, 2, 3]) list.push(new Item(id));
    const seen: number[] = [];
    for (const item of list) {
      seen.push(item.id);
      if (item.id === 1 && seen.length === 1) list.moveToEnd(item);
    }
    assert.deepEqual(seen, [1, 2, 3, 1]);
  });

  it('behaves like an array under any sequence of pushes, removals and moves', () => {
    const operation = fc.record({ kind: fc.constantFrom('push', 'remove', 'move'), id: fc.nat(9) });
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 200 }), (operations) => {
        const list = new IntrusiveList<Item>();
        const items = Array.from({ length: 10 }, (_, id) => new Item(id));
        let model: number[] = [];
        for (const { kind, id } of operations) {
          const item = items[id] as Item;
          const present = model.includes(id);
          if (kind === 'push' && !present) {
            list.push(item);
            model.push(id);
          } else if (kind === 'remove') {
            assert.equal(list.remove(item), present);
            model = model.filter((m) => m !== id);
          } else if (kind === 'move' && present) {
            list.moveToEnd(item);
            model = [...model.filter((m) => m !== id), id];
          }
          assert.equal(list.has(item), model.includes(id));
        }
        assert.deepEqual(ids(list), model);
        assert.equal(list.size, model.length);
        assert.equal(list.first?.id, model[0]);
      }),
      { numRuns: 300 },
    );
  });
});
