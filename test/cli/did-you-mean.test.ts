import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { closest, editDistance } from '../../src/cli/did-you-mean.ts';

const RELAY_FLAGS = [
  'host',
  'port',
  'idle-timeout',
  'sweep-interval',
  'trace',
  'keepalive',
  'keepalive-interval',
];

describe('edit distance', () => {
  it('counts insertions, deletions, substitutions and neighbour swaps as one edit each', () => {
    assert.equal(editDistance('idle-timout', 'idle-timeout'), 1);
    assert.equal(editDistance('prot', 'port'), 1);
    assert.equal(editDistance('los', 'loss'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
  });

  it('is zero from a word to itself, symmetric, and at most the longer length (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        return (
          editDistance(a, a) === 0 &&
          d === editDistance(b, a) &&
          d <= Math.max([...a].length, [...b].length) &&
          (d === 0) === (a === b)
        );
      }),
    );
  });
});

describe('closest known word', () => {
  it('suggests a flag one slip away', () => {
    assert.equal(closest('idle-timout', RELAY_FLAGS), 'idle-timeout');
    assert.equal(closest('tarce', RELAY_FLAGS), 'trace');
    assert.equal(closest('sweep-intervl', RELAY_FLAGS), 'sweep-interval');
  });

  it('suggests nothing for a word that is not near any', () => {
    assert.equal(closest('xyz', RELAY_FLAGS), undefined);
    assert.equal(closest('verbose', RELAY_FLAGS), undefined);
  });

  it('suggests the only flag a typed prefix begins, and not an ambiguous one', () => {
    assert.equal(closest('sweep', RELAY_FLAGS), 'sweep-interval');
    assert.equal(closest('keep', RELAY_FLAGS), undefined);
  });

  it('a tie goes to the earlier candidate', () => {
    assert.equal(closest('pot', ['port', 'post']), 'port');
    assert.equal(closest('pot', ['post', 'port']), 'post');
  });
});
