import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type Delivery,
  decideFaults,
  type FaultDecision,
  type FaultSettings,
  NO_FAULTS,
} from '../../src/chaos/fault-model.ts';
import { deriveSeed, mulberry32 } from '../../src/chaos/prng.ts';

const DECISIONS = 20_000;

const NETWORK: FaultSettings = {
  loss: 0.1,
  duplicate: 0.05,
  reorder: 0.05,
  delayMs: 20,
  jitterMs: 10,
  reorderHoldMs: 70,
};

function decide(settings: FaultSettings, seed: number, count: number): FaultDecision[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => decideFaults(settings, random));
}

function deliveries(decisions: readonly FaultDecision[]): Delivery[] {
  return decisions.flatMap((d) => (d.dropped ? [] : d.deliveries));
}

function rate(part: number, whole: number): number {
  return part / whole;
}

describe('the seeded random source', () => {
  it('the same seed gives the same sequence, another seed another one', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const first = Array.from({ length: 100 }, () => a());
    assert.deepEqual(
      Array.from({ length: 100 }, () => b()),
      first,
    );
    assert.notDeepEqual(
      Array.from({ length: 100 }, () => c()),
      first,
    );
  });

  it('draws lie in [0, 1) and average one half', () => {
    const random = mulberry32(7);
    let sum = 0;
    for (let i = 0; i < DECISIONS; i++) {
      const x = random();
      assert.ok(x >= 0 && x < 1, String(x));
      sum += x;
    }
    assert.ok(Math.abs(sum / DECISIONS - 0.5) < 0.01);
  });

  it('the two directions get different streams from one seed', () => {
    assert.notEqual(deriveSeed(42, 0), deriveSeed(42, 1));
    assert.equal(deriveSeed(42, 0), deriveSeed(42, 0));
  });
});

describe('fault decisions', () => {
  it('with every fault at 0% each datagram is forwarded exactly once after the base delay', () => {
    const settings: FaultSettings = { ...NO_FAULTS, delayMs: 20, reorderHoldMs: 50 };
    for (const decision of decide(settings, 1, 1_000)) {
      assert.deepEqual(decision, { dropped: false, deliveries: [{ delayMs: 20, reordered: false }] });
    }
  });

  it('the same seed gives the same decisions', () => {
    assert.deepEqual(decide(NETWORK, 1234, 2_000), decide(NETWORK, 1234, 2_000));
    assert.notDeepEqual(decide(NETWORK, 1234, 2_000), decide(NETWORK, 1235, 2_000));
  });

  it(`over ${DECISIONS} datagrams, loss, duplication and reordering happen at the configured rates`, () => {
    const decisions = decide(NETWORK, 99, DECISIONS);
    const kept = decisions.filter((d) => !d.dropped);
    const copies = deliveries(decisions);
    const duplicated = kept.filter((d) => d.deliveries.length === 2).length;
    const reordered = copies.filter((d) => d.reordered).length;
    // Binomial standard deviations are about 0.002 (loss) and 0.0016 (dup, reorder): these are ~5 sigma.
    assert.ok(Math.abs(rate(DECISIONS - kept.length, DECISIONS) - 0.1) < 0.01, 'loss rate');
    assert.ok(Math.abs(rate(duplicated, kept.length) - 0.05) < 0.008, 'dup rate');
    assert.ok(Math.abs(rate(reordered, copies.length) - 0.05) < 0.008, 'reorder rate');
  });

  it('delays lie in [delay - jitter, delay + jitter], plus the hold when reordered, and center on delay', () => {
    const copies = deliveries(decide(NETWORK, 5, DECISIONS));
    let sum = 0;
    let plain = 0;
    for (const { delayMs, reordered } of copies) {
      const base = reordered ? delayMs - NETWORK.reorderHoldMs : delayMs;
      assert.ok(base >= 10 && base <= 30, `${delayMs} (reordered: ${reordered})`);
      if (!reordered) {
        sum += delayMs;
        plain++;
      }
    }
    assert.ok(Math.abs(sum / plain - 20) < 0.3, 'jitter is centred on the delay');
  });

  it('a held copy arrives after every copy of a datagram sent up to hold - 2 x jitter later', () => {
    const copies = deliveries(decide(NETWORK, 8, DECISIONS));
    const latestPlain = Math.max(...copies.filter((d) => !d.reordered).map((d) => d.delayMs));
    const earliestHeld = Math.min(...copies.filter((d) => d.reordered).map((d) => d.delayMs));
    const guaranteedWindow = NETWORK.reorderHoldMs - 2 * NETWORK.jitterMs;
    assert.ok(earliestHeld - latestPlain >= guaranteedWindow - 1e-9);
  });

  it('jitter larger than the delay never makes a negative delay', () => {
    const settings: FaultSettings = { ...NO_FAULTS, delayMs: 5, jitterMs: 10 };
    const copies = deliveries(decide(settings, 3, 5_000));
    assert.ok(copies.every((d) => d.delayMs >= 0 && d.delayMs <= 15));
    assert.ok(copies.some((d) => d.delayMs === 0));
  });

  it('100% loss drops everything; 100% duplication sends every datagram twice', () => {
    assert.ok(decide({ ...NO_FAULTS, loss: 1 }, 4, 1_000).every((d) => d.dropped));
    const twice = decide({ ...NO_FAULTS, duplicate: 1 }, 4, 1_000);
    assert.ok(twice.every((d) => !d.dropped && d.deliveries.length === 2));
  });

  it('any settings: one or two copies, each within its delay window', () => {
    const probability = fc.double({ min: 0, max: 1, noNaN: true });
    const ms = fc.double({ min: 0, max: 60_000, noNaN: true });
    const settings = fc.record({
      loss: probability,
      duplicate: probability,
      reorder: probability,
      delayMs: ms,
      jitterMs: ms,
      reorderHoldMs: ms,
    });
    fc.assert(
      fc.property(settings, fc.integer({ min: 0, max: 0xffff_ffff }), (s, seed) => {
        for (const decision of decide(s, seed, 20)) {
          if (decision.dropped) continue;
          assert.ok(decision.deliveries.length === 1 || decision.deliveries.length === 2);
          for (const { delayMs, reordered } of decision.deliveries) {
            const base = reordered ? delayMs - s.reorderHoldMs : delayMs;
            assert.ok(
              base >= Math.max(0, s.delayMs - s.jitterMs) - 1e-6 && base <= s.delayMs + s.jitterMs + 1e-6,
            );
          }
        }
      }),
    );
  });
});
