import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pacer } from '../../src/bench/model/pacer.ts';

describe('pacing', () => {
  it('sends the first line at the start and one more every 1/rate', () => {
    const p = new Pacer(1_000_000, 100, 1000);
    assert.equal(p.take(999_999), 0);
    assert.equal(p.take(1_000_000), 1);
    assert.equal(p.take(1_005_000), 0);
    assert.equal(p.take(1_010_000), 1);
  });

  it('catches up after a late tick with one batch, and records how late it was', () => {
    const p = new Pacer(0, 1000, 1000);
    assert.equal(p.take(0), 1);
    assert.equal(p.take(9_500), 9);
    assert.equal(p.maxLagUs, 9_500 - 1_000);
  });

  it('sends exactly rate x duration lines however irregular the ticks', () => {
    const p = new Pacer(0, 333, 2500);
    let now = 0;
    let sent = 0;
    while (!p.done) {
      now += 1_000 + ((now * 7) % 13_000);
      sent += p.take(now);
    }
    assert.equal(sent, Math.round(333 * 2.5));
    assert.equal(p.take(now + 1e9), 0);
  });

  it('a rate of 0 sends nothing', () => {
    const p = new Pacer(0, 0, 1000);
    assert.equal(p.total, 0);
    assert.ok(p.done);
  });
});
