import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_IN_FLIGHT, MAX_SEND_QUEUE, RECEIVE_WINDOW } from '../../../src/protocol/v2/limits.ts';
import { type LinkProfile, SimNetwork } from './sim-network.ts';

/**
 * Give-up is set out of reach, because this property is about eventual delivery. A line is abandoned only
 * after its timer expires maxRetransmissions + 1 times in a row; each expiry needs this copy (or every ack
 * of it) lost. Below 50% loss per DATA in each direction a round fails with probability below 3/4 (lost on
 * the way there, or every ack lost on the way back), so 1,000 rounds fail with probability < 0.75^1000,
 * about 1e-125. Give-up itself is tested with the default 8 in simulation.test.ts and send-buffer.test.ts.
 */
const OUT_OF_REACH_RETRANSMISSIONS = 1_000;

const probability = fc.double({ min: 0, max: 0.49, noNaN: true });

const link: fc.Arbitrary<LinkProfile> = fc
  .record({
    loss: probability,
    duplicate: probability,
    reorder: probability,
    delayMs: fc.integer({ min: 1, max: 150 }),
    jitterFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ jitterFraction, ...profile }) => ({ ...profile, jitterMs: profile.delayMs * jitterFraction }));

const scenario = fc.record({
  seed: fc.nat(),
  aToB: link,
  bToA: link,
  linesA: fc.integer({ min: 1, max: 120 }),
  linesB: fc.integer({ min: 0, max: 120 }),
  intervalMs: fc.integer({ min: 0, max: 30 }),
  budgetBytes: fc.constantFrom(20, 100, 1161),
});

describe('eventual delivery under any loss, duplication and reordering below 50%', () => {
  it('every line arrives exactly once, in order, with no gap, within a bounded number of steps', (t) => {
    let maxSteps = 0;
    let maxTime = 0;
    fc.assert(
      fc.property(scenario, (run) => {
        const sim = new SimNetwork({
          seed: run.seed,
          aToB: run.aToB,
          bToA: run.bToA,
          budgetBytes: run.budgetBytes,
          options: { maxRetransmissions: OUT_OF_REACH_RETRANSMISSIONS },
        });
        sim.offer('A', run.linesA, 0, run.intervalMs);
        sim.offer('B', run.linesB, 0, run.intervalMs);
        sim.run({
          // The worst of thousands of runs took about 1,000 steps and 70 simulated seconds.
          maxSteps: 20_000,
          maxTimeMs: 600_000,
          onStep: (current) => {
            for (const { channel } of [current.a, current.b]) {
              assert.ok(channel.queued <= MAX_SEND_QUEUE && channel.inFlight <= MAX_IN_FLIGHT);
              assert.ok(channel.buffered < RECEIVE_WINDOW);
            }
          },
        });
        const expected = (side: 'A' | 'B', count: number): string[] =>
          Array.from({ length: count }, (_, i) => `${side}:${i}`);
        assert.deepEqual(
          sim.b.arrivals.map((arrival) => arrival.text),
          expected('A', run.linesA),
        );
        assert.deepEqual(
          sim.a.arrivals.map((arrival) => arrival.text),
          expected('B', run.linesB),
        );
        assert.deepEqual([sim.a.gaps, sim.b.gaps, sim.a.failed, sim.b.failed], [[], [], [], []]);
        // Quiescent: nothing left in flight, nothing queued, no timer running.
        assert.deepEqual([sim.a.channel.inFlight, sim.b.channel.inFlight], [0, 0]);
        assert.deepEqual([sim.a.channel.nextTimeout(), sim.b.channel.nextTimeout()], [null, null]);
        maxSteps = Math.max(maxSteps, sim.steps);
        maxTime = Math.max(maxTime, sim.now);
      }),
      { numRuns: Number(process.env.SIM_RUNS ?? 150), seed: Number(process.env.SIM_SEED ?? 0x5eed) },
    );
    t.diagnostic(`worst run: ${maxSteps} steps, ${(maxTime / 1000).toFixed(1)} simulated s`);
  });
});
