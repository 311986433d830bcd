/** The comparison's bookkeeping: what counts as lost, duplicated, out of order, and how late. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeliveryTally, quantile } from '../../src/compare/tally.ts';

describe('DeliveryTally', () => {
  it('expects each line at every other client, and counts what came', () => {
    const tally = new DeliveryTally(3, 2);
    for (const sender of ['a', 'b', 'c']) for (const line of [0, 1]) tally.sent(sender, line, 100 * line);
    tally.received('b', 'a', 0, 5);
    tally.received('c', 'a', 0, 7);
    tally.received('b', 'a', 1, 110);
    const figures = tally.figures();
    assert.equal(figures.expected, 12);
    assert.equal(figures.delivered, 3);
    assert.equal(figures.lost, 9);
    assert.equal(figures.maxMs, 10);
  });

  it('a second copy is a duplicate, an earlier line after a later one is out of order', () => {
    const tally = new DeliveryTally(2, 3);
    for (const line of [0, 1, 2]) tally.sent('a', line, 0);
    tally.received('b', 'a', 0, 1);
    tally.received('b', 'a', 2, 2);
    tally.received('b', 'a', 1, 3);
    tally.received('b', 'a', 1, 4);
    const figures = tally.figures();
    assert.equal(figures.delivered, 3);
    assert.equal(figures.duplicated, 1);
    assert.equal(figures.outOfOrder, 1);
    assert.equal(figures.lost, 3, "b's three lines, which b never sent");
  });

  it('ignores a line nobody sent, and a sender hearing itself', () => {
    const tally = new DeliveryTally(2, 1);
    tally.sent('a', 0, 0);
    tally.received('b', 'a', 7, 1);
    tally.received('a', 'a', 0, 1);
    assert.equal(tally.delivered, 0);
  });

  it('quantile is the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(quantile(values, 0.5), 50);
    assert.equal(quantile(values, 0.99), 99);
    assert.equal(quantile([], 0.5), 0);
  });
});
