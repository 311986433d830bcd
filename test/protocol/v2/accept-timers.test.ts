import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { advertisedTimers, clientKeepAliveMs } from '../../../src/protocol/v2/accept-timers.ts';

describe('the timers an ACCEPT advertises', () => {
  it('keep-alive is a third of the idle timeout, at most 10 s', () => {
    assert.deepEqual(advertisedTimers(30_000), { idleTimeoutMs: 30_000, keepAliveMs: 10_000 });
    assert.deepEqual(advertisedTimers(90_000), { idleTimeoutMs: 90_000, keepAliveMs: 10_000 });
    assert.deepEqual(advertisedTimers(2_000), { idleTimeoutMs: 2_000, keepAliveMs: 666 });
  });

  it('keeps a fractional timeout to the millisecond instead of rounding it to seconds', () => {
    assert.deepEqual(advertisedTimers(2_500), { idleTimeoutMs: 2_500, keepAliveMs: 833 });
    assert.deepEqual(advertisedTimers(1_999.9), { idleTimeoutMs: 1_999, keepAliveMs: 666 });
  });

  it('refuses a timeout the u32 fields cannot carry, or one leaving no keep-alive, instead of clamping', () => {
    for (const ms of [0, 2.9, 2 ** 32, Number.POSITIVE_INFINITY, Number.NaN, -1]) {
      assert.throws(() => advertisedTimers(ms), RangeError, String(ms));
    }
    assert.deepEqual(advertisedTimers(2 ** 32 - 1).keepAliveMs, 10_000);
    assert.deepEqual(advertisedTimers(3), { idleTimeoutMs: 3, keepAliveMs: 1 });
  });

  it('advertises a keep-alive the relay asks for, up to a third of the idle timeout, and refuses more', () => {
    assert.deepEqual(advertisedTimers(30_000, 2_000), { idleTimeoutMs: 30_000, keepAliveMs: 2_000 });
    assert.deepEqual(advertisedTimers(30_000, 10_000), { idleTimeoutMs: 30_000, keepAliveMs: 10_000 });
    assert.deepEqual(advertisedTimers(90_000, 25_000).keepAliveMs, 25_000, 'above 10 s when asked');
    for (const ms of [10_001, 0, 0.5, Number.NaN]) {
      assert.throws(() => advertisedTimers(30_000, ms), RangeError, String(ms));
    }
  });

  it('a client never keeps alive less often than a third of the idle timeout, whatever was advertised', () => {
    assert.equal(clientKeepAliveMs({ idleTimeoutMs: 2_000, keepAliveMs: 10_000 }), 666);
    assert.equal(clientKeepAliveMs({ idleTimeoutMs: 30_000, keepAliveMs: 5_000 }), 5_000);
    assert.equal(clientKeepAliveMs({ idleTimeoutMs: 1, keepAliveMs: 1 }), 1);
  });
});
