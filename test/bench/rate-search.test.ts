import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateSearch } from '../../src/bench/model/rate-search.ts';

/** Runs the search against a relay that loses lines above `capacity`. */
function search(start: number, capacity: number): { rates: number[]; best: number | undefined } {
  const s = new RateSearch(start);
  const rates: number[] = [];
  for (let rate = s.next(); rate !== undefined; rate = s.next()) {
    rates.push(rate);
    s.report(rate <= capacity ? 0 : 5);
  }
  return { rates, best: s.bestRate };
}

describe('the rate search', () => {
  it('grows by 1.5x while steps pass', () => {
    assert.deepEqual(search(100, 1000).rates.slice(0, 4), [100, 150, 225, 337.5]);
  });

  it('ends within 5 % below the capacity', () => {
    const { best } = search(100, 1000);
    assert.ok(best !== undefined && best <= 1000 && best >= 1000 / 1.05, String(best));
  });

  it('steps down when the first rate already fails', () => {
    const { rates, best } = search(1000, 300);
    assert.deepEqual(rates.slice(0, 3), [1000, 1000 / 1.5, 1000 / 1.5 / 1.5]);
    assert.ok(best !== undefined && best <= 300 && best >= 300 / 1.05, String(best));
  });

  it('passes with loss just under 1 % and fails at 1 %', () => {
    const s = new RateSearch(100);
    s.report(0.99);
    assert.equal(s.bestRate, 100);
    s.report(1);
    assert.equal(s.bestRate, 100);
    assert.equal(s.next(), 125);
  });

  it('stops after a bounded number of steps', () => {
    assert.ok(search(1, 1e12).rates.length <= 14);
  });
});
