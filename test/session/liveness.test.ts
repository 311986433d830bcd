/** The v2 client's liveness rules with a fake clock: when a quiet session probes, and when a relay is stalled. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Liveness } from '../../src/session/liveness.ts';

const RTO = 100;

describe('liveness', () => {
  test('a relay that answers nothing we sent is stalled at the stall time, not a millisecond before', () => {
    const live = new Liveness({ idleProbeMs: null, stallAfterMs: 1_500 }, 0);
    assert.equal(live.nextAt(RTO), null, 'nothing awaited, no probe: no deadline');
    live.elicited(1_000);
    live.elicited(1_200);
    assert.equal(live.nextAt(RTO), 2_500, 'counted from the oldest unanswered send');
    assert.equal(live.check(2_499, RTO), null);
    assert.equal(live.check(2_500, RTO), 'stalled');
    assert.equal(live.check(2_600, RTO), null, 'reported once');
    assert.equal(live.stalled, true);
    assert.equal(live.heard(3_000), 'answering');
    assert.equal(live.stalled, false);
    assert.equal(live.silentMs(3_400), 400);
  });

  test('anything heard after a send clears the wait', () => {
    const live = new Liveness({ idleProbeMs: null, stallAfterMs: 1_500 }, 0);
    live.elicited(100);
    assert.equal(live.heard(150), null);
    assert.equal(live.check(10_000, RTO), null);
  });

  test('the stall time stretches to twice the RTO on a slow path', () => {
    const live = new Liveness({ idleProbeMs: null, stallAfterMs: 1_500 }, 0);
    live.elicited(0);
    assert.equal(live.check(1_500, 2_000), null);
    assert.equal(live.check(4_000, 2_000), 'stalled');
  });

  test('a quiet session probes after idleProbeMs of silence; while stalled it keeps probing at that pace', () => {
    const live = new Liveness({ idleProbeMs: 750, stallAfterMs: 1_500 }, 0);
    assert.equal(live.nextAt(RTO), 750);
    assert.equal(live.probeDue(749), false);
    assert.equal(live.probeDue(750), true);
    live.elicited(750);
    assert.equal(live.probeDue(1_600), false, 'one probe at a time');
    assert.equal(live.nextAt(RTO), 2_250);
    assert.equal(live.check(2_250, RTO), 'stalled');
    assert.equal(live.nextAt(RTO), 1_500, 'the next probe is due');
    assert.equal(live.probeDue(2_250), true);
    live.elicited(2_250);
    assert.equal(live.nextAt(RTO), 3_000);
  });
});
