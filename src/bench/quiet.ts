/**
 * Waits until the relay has nothing left in flight for the bench clients: the workers' count of datagrams
 * (other than /pong, which keep-alives produce all the time) stops growing between two polls.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkerPool } from './worker-pool.ts';

const POLL_MS = 100;

export async function waitUntilQuiet(pool: WorkerPool, minMs: number, maxMs: number): Promise<void> {
  const started = performance.now();
  let last = -1;
  for (;;) {
    await sleep(POLL_MS);
    const total = await totalDatagrams(pool);
    const elapsed = performance.now() - started;
    if ((total === last && elapsed >= minMs) || elapsed >= maxMs) return;
    last = total;
  }
}

async function totalDatagrams(pool: WorkerPool): Promise<number> {
  const replies = await pool.all(() => ({ type: 'counters' }), 'counters');
  return replies.reduce((sum, r) => sum + r.counters.datagramsIn, 0);
}
