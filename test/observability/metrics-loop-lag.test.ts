import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventLoopLagMonitor, LagWindow } from '../../src/observability/metrics-loop-lag.ts';

describe('event-loop lag', () => {
  it('reports the worst p99 and the longest delay of the last slots', () => {
    const window = new LagWindow(3);
    assert.deepEqual(window.read(), { p99Ms: 0, maxMs: 0 });
    window.push({ p99Ms: 1, maxMs: 40 });
    window.push({ p99Ms: 5, maxMs: 6 });
    window.push({ p99Ms: 2, maxMs: 3 });
    assert.deepEqual(window.read(), { p99Ms: 5, maxMs: 40 });
    window.push({ p99Ms: 0.5, maxMs: 1 });
    assert.deepEqual(window.read(), { p99Ms: 5, maxMs: 6 }, 'the 40 ms slot aged out');
  });

  it('sees a blocked loop within a couple of seconds', async () => {
    const monitor = new EventLoopLagMonitor();
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const until = Date.now() + 120;
      while (Date.now() < until) {
        // Block the loop on purpose.
      }
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      assert.ok(monitor.read().maxMs >= 80, `max ${monitor.read().maxMs} ms`);
    } finally {
      monitor.stop();
    }
  });
});
