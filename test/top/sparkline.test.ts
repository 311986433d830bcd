import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sparkline } from '../../src/top/sparkline.ts';

describe('sparkline', () => {
  it('scales to the largest value: the peak is a full block, zero the lowest', () => {
    assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8), '▁▂▃▄▅▆▇█');
    assert.equal(sparkline([0, 70], 2), '▁█');
  });

  it('shows any traffic at all above the zero baseline, even under a spike', () => {
    assert.equal(sparkline([0, 1, 1_000_000], 3), '▁▂█');
  });

  it('is all baseline when nothing happened, and right-aligned when short', () => {
    assert.equal(sparkline([0, 0, 0], 3), '▁▁▁');
    assert.equal(sparkline([5], 4), '   █');
    assert.equal(sparkline([], 2), '  ');
  });

  it('keeps only the newest values that fit', () => {
    assert.equal(sparkline([100, 0, 7], 2), '▁█');
  });
});
