/** The human-readable report of a --failover run. */
import type { FailoverBenchResult } from '../failover/failover-bench.ts';
import type { TimeSummary } from '../failover/failover-summary.ts';
import { num } from './report-text.ts';

export function formatFailoverText(r: FailoverBenchResult): string {
  const lines = [
    `cluster             ${r.relays} relays on one redis-server; each killed relay replaced by a new node id`,
    `kills               ${r.kills} (SIGKILL), each with ${r.activeClients} talking (a line every ` +
      `${r.paceMs} ms) and ${r.idleClients} idle v2 clients on the relay killed`,
    `active, kill to resumed  ${formatTimes(r.activeMs)}`,
    `idle, kill to resumed    ${formatTimes(r.idleMs)}`,
    `resumptions         ${num(r.resumptions)} resumed, ${num(r.failedResumptions)} failed`,
    `acknowledged lines  ${num(r.acknowledged)}: ${num(r.lost)} lost, ${num(r.repeated)} shown twice`,
    `carried over a move ${num(r.carriedOver)} (held, or said again): ${num(r.carriedOverLost)} lost, ` +
      `${num(r.carriedOverShownTwice)} shown twice (allowed)`,
  ];
  return `${lines.join('\n')}\n`;
}

function formatTimes(t: TimeSummary | null): string {
  if (t === null) return 'none';
  return `p50 ${num(t.p50Ms)} ms, p99 ${num(t.p99Ms)} ms, max ${num(t.maxMs)} ms (${t.count} clients)`;
}
