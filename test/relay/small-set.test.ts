import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SmallSet } from '../../src/relay/small-set.ts';

interface Thing {
  readonly id: number;
}

describe("a client's small set of rooms", () => {
  it('keeps insertion order and no duplicates, like a Set', () => {
    const [a, b, c] = [{ id: 1 }, { id: 2 }, { id: 3 }];
    const set = new SmallSet<Thing>().add(a).add(b).add(a).add(c);
    assert.deepEqual([...set], [a, b, c]);
    assert.equal(set.size, 3);
    assert.equal(set.delete(a), true);
    assert.deepEqual([...set], [b, c], 'the second item becomes the first');
    assert.equal(set.delete(a), false);
  });

  it('is empty again after its only item leaves', () => {
    const only = { id: 1 };
    const set = new SmallSet<Thing>().add(only);
    set.delete(only);
    assert.equal(set.size, 0);
    assert.equal(set.has(only), false);
    assert.deepEqual([...set], []);
  });

  it('iterates a snapshot: deleting while iterating skips nothing', () => {
    const items = [{ id: 1 }, { id: 2 }, { id: 3 }];
    const set = new SmallSet<Thing>();
    for (const item of items) set.add(item);
    const seen: Thing[] = [];
    for (const item of set) {
      seen.push(item);
      set.delete(item);
    }
    assert.deepEqual(seen, items);
    assert.equal(set.size, 0);
  });

  it('agrees with Set under any sequence of additions and deletions', () => {
    const things = Array.from({ length: 6 }, (_, id) => ({ id }));
    const operation = fc.record({ add: fc.boolean(), id: fc.nat(5) });
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        const set = new SmallSet<Thing>();
        const model = new Set<Thing>();
        for (const { add, id } of operations) {
          const thing = things[id] as Thing;
          if (add) {
            set.add(thing);
            model.add(thing);
          } else assert.equal(set.delete(thing), model.delete(thing));
          assert.equal(set.size, model.size);
          assert.equal(set.has(thing), model.has(thing));
        }
        assert.deepEqual([...set], [...model]);
      }),
      { numRuns: 300 },
    );
  });
});
