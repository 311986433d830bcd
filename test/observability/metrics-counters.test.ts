import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REFUSAL_REASONS, RelayCounters } from '../../src/observability/metrics-counters.ts';
import type { Address } from '../../src/protocol/address.ts';

const A: Address = { host: '127.0.0.1', port: 40001 };

describe('RelayCounters: one integer bump per relay event', () => {
  it('starts every known reason at zero, so dashboards see the series before the first refusal', () => {
    const counters = new RelayCounters(0);
    assert.equal(counters.refusals.size, REFUSAL_REASONS.length);
    assert.ok([...counters.refusals.values()].every((n) => n === 0));
    assert.deepEqual([...counters.departures.keys()], ['left', 'timed out', 'killed']);
  });

  it('counts joins, relayed lines and their deliveries, departures, evictions, refusals and drops', () => {
    const counters = new RelayCounters(0);
    counters.record({ type: 'joined', address: A, nick: 'alice' });
    counters.record({ type: 'relayed', address: A, nick: 'alice', recipients: 3 });
    counters.record({ type: 'relayed', address: A, nick: 'alice', recipients: 2 });
    counters.record({ type: 'refused', address: A, reason: 'line-too-long' });
    counters.record({ type: 'refused', address: A, reason: 'line-too-long' });
    counters.record({ type: 'ignored', address: A, reason: 'throttled' });
    counters.record({ type: 'ignored', address: A, reason: 'reply-limited' });
    counters.record({ type: 'departed', address: A, nick: 'alice', reason: 'timed out' });
    assert.equal(counters.joins, 1);
    assert.equal(counters.linesRelayed, 2);
    assert.equal(counters.deliveries, 5);
    assert.equal(counters.refusals.get('line-too-long'), 2);
    assert.equal(counters.throttledLines, 1);
    assert.equal(counters.ignored.get('reply-limited'), 1);
    assert.equal(counters.ignored.has('throttled'), false, 'throttled lines have their own counter');
    assert.equal(counters.evictions, 1);
    assert.deepEqual(counters.talkers.top(1, 1_000).talkers, [{ nick: 'alice', lines: 2 }]);
  });
});
