import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { bucketOf, bucketUpperBound, LatencyHistogram } from '../../src/bench/model/histogram.ts';

function histogramOf(values: readonly number[]): LatencyHistogram {
  const h = new LatencyHistogram();
  for (const v of values) h.record(v);
  return h;
}

describe('the latency histogram', () => {
  it('is exact below 128 µs', () => {
    for (let v = 0; v < 128; v++) assert.equal(bucketUpperBound(bucketOf(v)), v);
  });

  it('puts every value in a bucket whose bound is at most 1/64 above it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 39 }), (v) => {
        const bound = bucketUpperBound(bucketOf(v));
        assert.ok(bound >= v, `${bound} >= ${v}`);
        assert.ok(bound - v <= v / 64, `${bound} within 1/64 of ${v}`);
      }),
    );
  });

  it('agrees at powers of two on both sides of 2^31 (integer and floating-point paths)', () => {
    let previous = -1;
    for (let exponent = 7; exponent < 39; exponent++) {
      for (const v of [2 ** exponent - 1, 2 ** exponent, 2 ** exponent + 1]) {
        const index = bucketOf(v);
        const bound = bucketUpperBound(index);
        assert.ok(index >= previous, `bucket of ${v} in order`);
        assert.ok(bound >= v && bound - v <= v / 64, `${bound} bounds ${v}`);
        previous = index;
      }
    }
  });

  it('numbers its buckets in the order of their values', () => {
    let previous = -1;
    for (let v = 0; v < 100_000; v += 7) {
      const index = bucketOf(v);
      assert.ok(index >= previous);
      previous = index;
    }
  });

  it('gives nearest-rank percentiles: p50 of 1..100 is 50, p99 is 99, p100 is the maximum', () => {
    const h = histogramOf(Array.from({ length: 100 }, (_, i) => i + 1));
    assert.equal(h.percentile(50), 50);
    assert.equal(h.percentile(99), 99);
    assert.equal(h.percentile(100), 100);
    assert.equal(h.max, 100);
    assert.equal(h.count, 100);
  });

  it('never reports a percentile above the exact maximum', () => {
    const h = histogramOf([1000, 1001]);
    assert.equal(h.percentile(99), 1001);
  });

  it('one slow delivery in a hundred moves p99 but not p50', () => {
    const h = histogramOf([...Array.from({ length: 99 }, () => 40), 90_000]);
    assert.equal(h.percentile(50), 40);
    assert.equal(h.percentile(99), 40);
    assert.equal(h.percentile(99.5), 90_000);
  });

  it('has no percentile when empty', () => {
    assert.equal(new LatencyHistogram().percentile(50), undefined);
  });

  it('merges sparse counts from other processes into the same percentiles', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 50_000);
    const whole = histogramOf(values);
    const a = histogramOf(values.slice(0, 400));
    const b = histogramOf(values.slice(400));
    const merged = new LatencyHistogram();
    merged.mergeSparse(a.toSparse(), a.max);
    merged.mergeSparse(b.toSparse(), b.max);
    for (const p of [1, 50, 90, 99, 100]) assert.equal(merged.percentile(p), whole.percentile(p));
    assert.equal(merged.count, 1000);
    assert.equal(merged.max, whole.max);
  });
});
