import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MappingTable } from '../../src/chaos/mapping-table.ts';

function table(capacity = 3): MappingTable<string> {
  return new MappingTable<string>({ idleTimeoutMs: 1_000, capacity });
}

describe('the chaos proxy mapping table', () => {
  it('a mapping expires exactly when it has been idle for the whole timeout', () => {
    const t = table();
    t.add('a', 'A', 0);
    assert.equal(t.nextExpiryAt(), 1_000);
    assert.deepEqual(t.expire(999), []);
    assert.deepEqual(t.expire(1_000), ['A']);
    assert.equal(t.size, 0);
    assert.equal(t.nextExpiryAt(), undefined);
  });

  it('traffic keeps a mapping alive, and a touch never shortens it', () => {
    const t = table();
    t.add('a', 'A', 0);
    t.touch('a', 5_000);
    t.touch('a', 100);
    assert.deepEqual(t.expire(5_999), []);
    assert.equal(t.nextExpiryAt(), 6_000);
    assert.deepEqual(t.expire(6_000), ['A']);
  });

  it('only idle mappings expire; the earliest expiry is reported', () => {
    const t = table();
    t.add('a', 'A', 0);
    t.add('b', 'B', 500);
    assert.equal(t.nextExpiryAt(), 1_000);
    assert.deepEqual(t.expire(1_200), ['A']);
    assert.equal(t.get('b'), 'B');
    assert.equal(t.nextExpiryAt(), 1_500);
  });

  it('a full table refuses new mappings until one goes', () => {
    const t = table(2);
    assert.ok(t.add('a', 'A', 0));
    assert.ok(t.add('b', 'B', 0));
    assert.ok(t.full);
    assert.equal(t.add('c', 'C', 0), false);
    assert.equal(t.get('c'), undefined);
    assert.equal(t.remove('a'), 'A');
    assert.ok(t.add('c', 'C', 0));
  });

  it('clear hands back every mapping for closing', () => {
    const t = table();
    t.add('a', 'A', 0);
    t.add('b', 'B', 0);
    assert.deepEqual(t.clear().sort(), ['A', 'B']);
    assert.equal(t.size, 0);
  });
});
