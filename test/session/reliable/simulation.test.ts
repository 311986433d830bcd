import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MAX_IN_FLIGHT,
  MAX_RETRANSMISSIONS,
  MAX_SEND_QUEUE,
  RECEIVE_WINDOW,
} from '../../../src/protocol/v2/limits.ts';
import { type Endpoint, type LinkProfile, latencies, percentile, SimNetwork } from './sim-network.ts';

const lossy: LinkProfile = { loss: 0.1, duplicate: 0.05, reorder: 0.05, delayMs: 20, jitterMs: 10 };
const clean: LinkProfile = { loss: 0, duplicate: 0, reorder: 0, delayMs: 20, jitterMs: 0 };
const dead: LinkProfile = { ...clean, loss: 1 };

/** Asserts `to` got exactly `from`'s lines `A:0`.. in order, each once, with no gap. */
function assertAllDelivered(to: Endpoint, side: 'A' | 'B', count: number): void {
  assert.deepEqual(
    to.arrivals.map((arrival) => arrival.text),
    Array.from({ length: count }, (_, i) => `${side}:${i}`),
  );
  assert.deepEqual(
    to.arrivals.map((arrival) => arrival.seq),
    Array.from({ length: count }, (_, i) => i),
  );
  assert.deepEqual(to.gaps, []);
}

/** (c): the windows hold at every step, on both sides. */
function assertWithinWindows(sim: SimNetwork): void {
  for (const endpoint of [sim.a, sim.b]) {
    const { channel } = endpoint;
    assert.ok(channel.queued <= MAX_SEND_QUEUE, `queued ${channel.queued}`);
    assert.ok(channel.inFlight <= MAX_IN_FLIGHT, `in flight ${channel.inFlight}`);
    assert.ok(channel.buffered < RECEIVE_WINDOW, `buffered ${channel.buffered}`);
  }
}

describe('two channels over a lossy network (10% loss, 5% dup, 5% reorder, 20±10 ms)', () => {
  it('delivers 1,000 lines each way exactly once, in order, without gaps, within bounded time', (t) => {
    const sim = new SimNetwork({ seed: 20_240_601, aToB: lossy, bToA: lossy });
    sim.offer('A', 1000, 0, 5);
    sim.offer('B', 1000, 0, 5);
    sim.run({ maxSteps: 100_000, maxTimeMs: 30_000, onStep: assertWithinWindows });

    assertAllDelivered(sim.b, 'A', 1000);
    assertAllDelivered(sim.a, 'B', 1000);
    assert.deepEqual([sim.a.failed, sim.b.failed], [[], []]);
    const latency = [...latencies(sim.a, sim.b), ...latencies(sim.b, sim.a)];
    const a = sim.a.channel.stats;
    const b = sim.b.channel.stats;
    // The offers end at 5 s; everything is through a few RTOs later.
    assert.ok(sim.now < 10_000, `finished at ${sim.now} ms`);
    assert.ok(percentile(latency, 99) < 1_000, `p99 ${percentile(latency, 99)} ms`);
    assert.ok(a.retransmissions > 0 && b.retransmissions > 0, 'the loss was felt');
    assert.ok(a.duplicatesDropped + b.duplicatesDropped > 0, 'duplicates were dropped');
    t.diagnostic(
      `simulated ${sim.now.toFixed(0)} ms in ${sim.steps} steps; datagrams A ${sim.a.datagramsSent}, ` +
        `B ${sim.b.datagramsSent}; lost ${sim.lost}, duplicated ${sim.duplicated}`,
    );
    t.diagnostic(
      `retransmissions A ${a.retransmissions} (fast ${a.fastRetransmissions}), ` +
        `B ${b.retransmissions} (fast ${b.fastRetransmissions}); duplicates dropped ` +
        `${a.duplicatesDropped + b.duplicatesDropped}; ack-only DATA ${a.ackOnlySent + b.ackOnlySent}`,
    );
    t.diagnostic(
      `latency ms: p50 ${percentile(latency, 50).toFixed(1)}, p90 ${percentile(latency, 90).toFixed(1)}, ` +
        `p99 ${percentile(latency, 99).toFixed(1)}, max ${percentile(latency, 100).toFixed(1)}; ` +
        `SRTT A ${sim.a.channel.rttMs?.toFixed(1)}, RTO A ${sim.a.channel.rtoMs.toFixed(1)}`,
    );
  });
});

describe('memory bounds', () => {
  const heavy: LinkProfile = { loss: 0.2, duplicate: 0.1, reorder: 0.3, delayMs: 30, jitterMs: 30 };

  it('a burst far beyond the windows fills the queue and the in-flight window, never more', () => {
    // One line per DATA (a 20-byte budget), so losses punch holes the receiver must buffer around.
    const sim = new SimNetwork({ seed: 7, aToB: heavy, bToA: heavy, budgetBytes: 20 });
    sim.offer('A', 3000, 0, 0);
    const peak = { queued: 0, inFlight: 0, buffered: 0 };
    sim.run({
      maxSteps: 200_000,
      maxTimeMs: 600_000,
      onStep: (current) => {
        assertWithinWindows(current);
        peak.queued = Math.max(peak.queued, current.a.channel.queued);
        peak.inFlight = Math.max(peak.inFlight, current.a.channel.inFlight);
        peak.buffered = Math.max(peak.buffered, current.b.channel.buffered);
      },
    });
    assertAllDelivered(sim.b, 'A', 3000);
    // The bounds were reached (so the assertions above were exercised), not just respected.
    assert.equal(peak.queued, MAX_SEND_QUEUE);
    assert.equal(peak.inFlight, MAX_IN_FLIGHT);
    // The sender's window (64) keeps the receiver's buffer below 64 of its 128.
    assert.ok(
      peak.buffered >= 32 && peak.buffered < MAX_IN_FLIGHT,
      `receive buffer peaked at ${peak.buffered}`,
    );
  });

  it('a peer sending beyond our receive window is cut at the window and still gets everything through', () => {
    const sim = new SimNetwork({
      seed: 8,
      aToB: heavy,
      bToA: heavy,
      budgetBytes: 20,
      // Lines beyond the window are dropped and so re-sent until the window reaches them, which can take
      // more than 8 tries: such a sender (not ours: 64 < 128) must not give up on them meanwhile.
      optionsA: { maxInFlight: 2 * RECEIVE_WINDOW, maxRetransmissions: 1_000 },
    });
    sim.offer('A', 1000, 0, 0);
    let peakBuffered = 0;
    sim.run({
      maxSteps: 200_000,
      maxTimeMs: 600_000,
      onStep: (current) => {
        assert.ok(current.b.channel.buffered < RECEIVE_WINDOW);
        peakBuffered = Math.max(peakBuffered, current.b.channel.buffered);
      },
    });
    assertAllDelivered(sim.b, 'A', 1000);
    assert.equal(peakBuffered, RECEIVE_WINDOW - 1);
    assert.ok(sim.b.channel.stats.beyondWindowDropped > 0);
  });
});

describe('an outage longer than the give-up time', () => {
  const outageFrom = 1_000;
  const outageUntil = 60_000;
  const outage = (now: number): LinkProfile => (now >= outageFrom && now < outageUntil ? dead : clean);

  it('fails the lines sent into it after exactly MAX_RETRANSMISSIONS, and the peer reports the gap then goes on', () => {
    const sim = new SimNetwork({ seed: 1, aToB: outage, bToA: outage });
    sim.offer('A', 10, 0, 10); // before the outage: delivered
    sim.offer('A', 5, 2_000, 10, 10); // into the outage: given up
    sim.offer('A', 5, 70_000, 10, 15); // after it: delivered after the gap
    sim.run({ maxSteps: 10_000, maxTimeMs: 200_000, onStep: assertWithinWindows });

    assert.deepEqual(
      sim.a.failed.map((failure) => failure.seq),
      [10, 11, 12, 13, 14],
    );
    const stats = sim.a.channel.stats;
    assert.equal(stats.gaveUp, 5);
    assert.equal(stats.retransmissions, 5 * MAX_RETRANSMISSIONS, 'each line re-sent exactly 8 times');
    assert.equal(stats.fastRetransmissions, 0);
    for (const failure of sim.a.failed) assert.ok(failure.at < outageUntil, 'given up during the outage');

    assert.deepEqual(
      sim.b.arrivals.map((arrival) => arrival.text),
      [
        ...Array.from({ length: 10 }, (_, i) => `A:${i}`),
        ...Array.from({ length: 5 }, (_, i) => `A:${15 + i}`),
      ],
    );
    assert.equal(sim.b.gaps.length, 1);
    const [gap] = sim.b.gaps;
    assert.deepEqual({ seq: gap?.seq, count: gap?.count }, { seq: 10, count: 5 });
    // The SKIP has its own timer: the gap shows soon after the link heals, not when the next line comes.
    assert.ok(gap !== undefined && gap.at >= outageUntil && gap.at < 70_000, `gap reported at ${gap?.at}`);
    assert.equal(sim.b.channel.stats.linesLost, 5);
  });

  it('a line whose acks alone are lost is reported failed, yet the peer delivered it and shows no gap', () => {
    const acksDown = (now: number): LinkProfile => (now < 100 || now >= 60_000 ? clean : dead);
    const sim = new SimNetwork({ seed: 2, aToB: clean, bToA: acksDown });
    sim.offer('A', 3, 1_000, 10);
    sim.run({ maxSteps: 10_000, maxTimeMs: 200_000 });

    assert.deepEqual(
      sim.a.failed.map((failure) => failure.seq),
      [0, 1, 2],
    );
    assertAllDelivered(sim.b, 'A', 3);
    assert.equal(sim.b.channel.stats.duplicatesDropped, 3 * MAX_RETRANSMISSIONS);
  });
});
