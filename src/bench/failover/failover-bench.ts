/**
 * `bench --failover N`: N kills of a relay in a cluster the bench starts (failover-cluster.ts), one round
 * each (failover-round.ts), and the figures over all of them: time from the kill to each client's
 * resumption, p50/p99/max for active and idle clients, failed resumptions, and whether anything a relay
 * had acknowledged was lost or shown twice.
 */
import type { FailoverBenchOptions } from '../options.ts';
import { FailoverCluster } from './failover-cluster.ts';
import { PACE_MS, type RoundResult, runRound } from './failover-round.ts';
import { summarizeTimes, type TimeSummary } from './failover-summary.ts';

export interface FailoverBenchResult {
  readonly relays: number;
  readonly kills: number;
  readonly activeClients: number;
  readonly idleClients: number;
  readonly paceMs: number;
  /** Kill to resumed, over every round's active (sending) and idle clients. */
  readonly activeMs: TimeSummary | null;
  readonly idleMs: TimeSummary | null;
  readonly resumptions: number;
  readonly failedResumptions: number;
  readonly acknowledged: number;
  readonly lost: number;
  readonly repeated: number;
  readonly unacknowledgedShownTwice: number;
  readonly rounds: readonly RoundResult[];
}

export async function runFailoverBench(
  options: FailoverBenchOptions,
  log: (line: string) => void,
): Promise<FailoverBenchResult> {
  const cluster = await FailoverCluster.start(options.relays);
  log(`redis-server and ${options.relays} relays started`);
  const rounds: RoundResult[] = [];
  try {
    for (let round = 1; round <= options.kills; round++) {
      const result = await runRound(cluster, { round, active: options.senders, idle: options.idle });
      rounds.push(result);
      log(roundLine(result));
      const died = cluster.failure();
      if (died !== undefined) throw new Error(`a relay that was not killed died: ${died}`);
      // The killed relay's place is taken by a new one (a fresh node id) for the next round.
      if (round < options.kills) await cluster.addRelay();
    }
  } finally {
    await cluster.stop();
  }
  return summarize(options, rounds);
}

function roundLine(r: RoundResult): string {
  const ms = [...r.activeMs, ...r.idleMs].map((t) => Math.round(t));
  const failures = r.failures.length > 0 ? `; ${r.failures.join('; ')}` : '';
  return (
    `kill ${r.round} (${r.killed}): resumed in ${ms.join(', ')} ms; ${r.acknowledged} acknowledged, ` +
    `${r.lost} lost, ${r.repeated} repeated${failures}`
  );
}

function summarize(options: FailoverBenchOptions, rounds: readonly RoundResult[]): FailoverBenchResult {
  const sum = (pick: (r: RoundResult) => number): number => rounds.reduce((n, r) => n + pick(r), 0);
  const active = rounds.flatMap((r) => r.activeMs);
  const idle = rounds.flatMap((r) => r.idleMs);
  return {
    relays: options.relays,
    kills: rounds.length,
    activeClients: options.senders,
    idleClients: options.idle,
    paceMs: PACE_MS,
    activeMs: summarizeTimes(active),
    idleMs: summarizeTimes(idle),
    resumptions: active.length + idle.length,
    failedResumptions: sum((r) => r.failed),
    acknowledged: sum((r) => r.acknowledged),
    lost: sum((r) => r.lost),
    repeated: sum((r) => r.repeated),
    unacknowledgedShownTwice: sum((r) => r.unacknowledgedShownTwice),
    rounds,
  };
}
