import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { INITIAL_RTO_MS, MAX_RTO_MS, MIN_RTO_MS } from '../../../src/protocol/v2/limits.ts';
import { DEFAULT_RELIABLE_OPTIONS } from '../../../src/session/reliable/options.ts';
import { RttEstimator, type RttEstimatorOptions } from '../../../src/session/reliable/rtt-estimator.ts';

/** No clamp in the way, G = 1 ms: the bare RFC 6298 arithmetic. */
const unclamped: RttEstimatorOptions = {
  initialRtoMs: 1000,
  minRtoMs: 1,
  maxRtoMs: 1_000_000,
  clockGranularityMs: 1,
};

describe('RttEstimator (RFC 6298)', () => {
  it('starts at the initial RTO of 500 ms, with no SRTT (§2.1)', () => {
    const rtt = new RttEstimator(DEFAULT_RELIABLE_OPTIONS);
    assert.equal(rtt.rtoMs, INITIAL_RTO_MS);
    assert.equal(rtt.srttMs, null);
    assert.equal(rtt.rttvarMs, null);
  });

  it('first sample R: SRTT = R, RTTVAR = R/2, RTO = SRTT + max(G, 4·RTTVAR) (§2.2)', () => {
    const rtt = new RttEstimator(unclamped);
    assert.equal(rtt.sample(100, 1), true);
    assert.equal(rtt.srttMs, 100);
    assert.equal(rtt.rttvarMs, 50);
    assert.equal(rtt.rtoMs, 300);
  });

  it('later samples: RTTVAR from the old SRTT first, then SRTT; alpha 1/8, beta 1/4 (§2.3)', () => {
    const rtt = new RttEstimator(unclamped);
    rtt.sample(100, 1);
    rtt.sample(200, 1);
    // RTTVAR = 3/4·50 + 1/4·|100 − 200| = 62.5; SRTT = 7/8·100 + 1/8·200 = 112.5; RTO = 112.5 + 250.
    assert.deepEqual([rtt.srttMs, rtt.rttvarMs, rtt.rtoMs], [112.5, 62.5, 362.5]);
    rtt.sample(50, 1);
    // RTTVAR = 3/4·62.5 + 1/4·|112.5 − 50| = 62.5; SRTT = 7/8·112.5 + 1/8·50 = 104.6875.
    assert.deepEqual([rtt.srttMs, rtt.rttvarMs, rtt.rtoMs], [104.6875, 62.5, 354.6875]);
  });

  it('RTO is at least SRTT + G when the variance vanishes', () => {
    const rtt = new RttEstimator({ ...unclamped, clockGranularityMs: 10 });
    for (let i = 0; i < 200; i += 1) rtt.sample(200, 1);
    assert.equal(rtt.srttMs, 200);
    assert.ok((rtt.rttvarMs ?? 1) < 1e-9);
    assert.equal(rtt.rtoMs, 210);
  });

  it('clamps RTO to [100 ms, 8 s] (§2.4, §2.5, as the spec sets them)', () => {
    const fast = new RttEstimator(DEFAULT_RELIABLE_OPTIONS);
    fast.sample(10, 1); // 10 + 4·5 = 30
    assert.equal(fast.rtoMs, MIN_RTO_MS);
    const slow = new RttEstimator(DEFAULT_RELIABLE_OPTIONS);
    slow.sample(5_000, 1); // 5,000 + 4·2,500 = 15,000
    assert.equal(slow.rtoMs, MAX_RTO_MS);
  });

  it("Karn's algorithm: a retransmitted line's round trip is ignored (§3)", () => {
    const rtt = new RttEstimator(DEFAULT_RELIABLE_OPTIONS);
    assert.equal(rtt.sample(40, 2), false);
    assert.equal(rtt.srttMs, null);
    rtt.sample(100, 1);
    assert.equal(rtt.sample(3_000, 9), false);
    assert.equal(rtt.srttMs, 100);
  });

  it('ignores nonsense samples (negative, not finite)', () => {
    const rtt = new RttEstimator(DEFAULT_RELIABLE_OPTIONS);
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(rtt.sample(bad, 1), false);
    assert.equal(rtt.rtoMs, INITIAL_RTO_MS);
  });

  it('backs off by doubling per timeout, capped at 8 s (§5.5): 500, 1000, 2000, 4000, 8000, 8000', () => {
    const rtt = new RttEstimator(DEFAULT_RELIABLE_OPTIONS);
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((timeouts) => rtt.backedOffMs(timeouts)),
      [500, 1000, 2000, 4000, 8000, 8000],
    );
  });

  it('RTO always stays within the clamp, whatever the samples', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 60_000, noNaN: true }), { maxLength: 50 }), (samples) => {
        const rtt = new RttEstimator(DEFAULT_RELIABLE_OPTIONS);
        for (const sample of samples) {
          rtt.sample(sample, 1);
          assert.ok(rtt.rtoMs >= MIN_RTO_MS && rtt.rtoMs <= MAX_RTO_MS);
          assert.ok(rtt.backedOffMs(30) <= MAX_RTO_MS);
        }
      }),
    );
  });
});
