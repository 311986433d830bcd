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
  readonly carriedOver: number;
  readonly carriedOverLost: number;
  readonly carriedOverShownTwice: number;
  readonly rounds: readonly RoundResult[];
}

export async function runFailoverBench(
  options: FailoverBenchOptions,
  log: (line: string) => void,
): Promise<FailoverBenchResult> {
  const cluster = new FailoverCluster();
  const release = stopOnSignal(cluster, log);
  const rounds: RoundResult[] = [];
  try {
    await cluster.start(options.relays);
    const pids = cluster.members.map((m) => m.relay.pid).join(', ');
    log(`redis-server (pid ${cluster.redis.pid}) and ${options.relays} relays (pids ${pids}) started`);
    for (let round = 1; round <= options.kills; round++) {
      const result = await runRound(cluster, { round, active: options.senders, idle: options.idle });
      rounds.push(result);
      log(roundLine(result));
      const died = cluster.failure();
      if (died !== undefined) throw new Error(`a relay that was not killed died: ${died}`);
      // The killed relay's place is taken by a new one (a fresh node id) for the next round.
      if (round < options.kills) {
        const added = await cluster.addRelay();
        log(`relay ${added.nodeId} (pid ${added.relay.pid}) started`);
      }
    }
  } finally {
    await cluster.stop();
    release();
  }
  return summarize(options, rounds);
}

/**
 * Ctrl-C (or SIGTERM) during a run: the relays and redis-server it started are stopped before the bench
 * exits as the signal would have it; the clients live in this process and go with it. Returns the undo.
 */
function stopOnSignal(cluster: FailoverCluster, log: (line: string) => void): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`${signal}: stopping the cluster the bench started`);
    void cluster.stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/** The exit code of a run: 1 when a client did not resume or a line was lost or acknowledged and repeated. */
export function failoverVerdict(r: FailoverBenchResult, log: (line: string) => void): number {
  const broken: string[] = [];
  if (r.failedResumptions > 0) broken.push(`${r.failedResumptions} clients did not resume`);
  if (r.lost > 0 || r.repeated > 0)
    broken.push(`${r.lost} acknowledged lines lost, ${r.repeated} shown twice`);
  if (r.carriedOverLost > 0) broken.push(`${r.carriedOverLost} lines carried over a move lost`);
  for (const why of broken) log(why);
  return broken.length > 0 ? 1 : 0;
}

function roundLine(r: RoundResult): string {
  const ms = [...r.activeMs, ...r.idleMs].map((t) => Math.round(t));
  const failures = r.failures.length > 0 ? `; ${r.failures.join('; ')}` : '';
  return (
    `kill ${r.round} (${r.killed}): resumed in ${ms.join(', ')} ms; ${r.acknowledged} acknowledged, ` +
    `${r.lost} lost, ${r.repeated} repeated; ${r.carriedOver} carried over, ${r.carriedOverLost} lost${failures}`
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
    carriedOver: sum((r) => r.carriedOver),
    carriedOverLost: sum((r) => r.carriedOverLost),
    carriedOverShownTwice: sum((r) => r.carriedOverShownTwice),
    rounds,
  };
}
