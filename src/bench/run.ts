/**
 * The bench coordinator for traffic runs: for each client count it starts the relay (when the bench
 * spawns it), joins the clients once, and runs either one step at the given rate or a rate search for the
 * highest rate with under 1 % loss. A fresh relay per client count keeps one series from loading the next.
 */

import { BenchDatabase } from './bench-database.ts';
import type { BenchTransport } from './messages.ts';
import { MAX_LOSS_PERCENT, RateSearch } from './model/rate-search.ts';
import type { StepResult } from './model/result.ts';
import { type BenchStore, DEFAULTS, type RelayChoice, type TrafficOptions } from './options.ts';
import { startCluster } from './relay-cluster.ts';
import { type RelayUnderTest, startRelay } from './relay-process.ts';
import { TrafficSession } from './traffic-session.ts';
import { receiveLabel, resolveReceive } from './worker/worker-setup.ts';

/** A sweep with no --rate starts each series at this many offered deliveries per second. */
const SWEEP_START_DELIVERIES = 10_000;

export interface TrafficSeries {
  readonly transport: BenchTransport;
  /** Where the relay kept history (memory, or a --db file). */
  readonly store: BenchStore;
  readonly clients: number;
  readonly senders: number;
  /** Relays in the series: 1, or N in one cluster (`--relays`). */
  readonly relays: number;
  readonly relay: string;
  /** With `--relays N > 1`: the commands Redis ran per line sent, over every step of the series. */
  readonly redisOpsPerLine: number | null;
  /** How the generator read its sockets (see --receive). */
  readonly generatorReceive: string;
  readonly failedJoins: number;
  readonly steps: readonly StepResult[];
  /** Sweeps only: the highest rate (lines/s) with under 1 % loss, if any passed. */
  readonly bestLinesPerSecond: number | null;
}

export type Log = (line: string) => void;

export async function runTraffic(options: TrafficOptions, log: Log): Promise<TrafficSeries[]> {
  const series: TrafficSeries[] = [];
  for (const store of options.stores)
    for (const transport of options.transports)
      for (const relays of options.relays)
        for (const clients of options.clients) {
          const database = store === 'db' ? await BenchDatabase.make() : null;
          try {
            const relay = database === null ? options.relay : database.relayChoice(options.relay);
            series.push(await runSeries(options, relay, { clients, relays }, transport, store, log));
          } finally {
            await database?.remove();
          }
        }
  return series;
}

/** The relays a series measures: one, or a cluster of N on a Redis of its own. */
interface StartedRelays {
  readonly relays: readonly RelayUnderTest[];
  readonly label: string;
  /** Redis's command count so far (a cluster only). */
  readonly redisCommands: (() => Promise<number>) | null;
  stop(): Promise<void>;
}

async function startRelays(
  choice: RelayChoice,
  count: number,
  transport: BenchTransport,
): Promise<StartedRelays> {
  if (count === 1) {
    const relay = await startRelay(choice, transport);
    return { relays: [relay], label: relay.label, redisCommands: null, stop: () => relay.stop() };
  }
  const extra = choice.kind === 'spawn' ? choice.extraArgs : [];
  const cluster = await startCluster(count, extra);
  return {
    relays: cluster.relays,
    label: `${count} relays in a cluster on redis-server ${cluster.redis.url} (spawned: udpchat relay --cluster)`,
    redisCommands: () => cluster.redis.commands(),
    stop: () => cluster.stop(),
  };
}

async function runSeries(
  options: TrafficOptions,
  choice: RelayChoice,
  size: { readonly clients: number; readonly relays: number },
  transport: BenchTransport,
  store: BenchStore,
  log: Log,
): Promise<TrafficSeries> {
  const { clients } = size;
  const senders = options.senders ?? Math.min(clients, 10);
  const receive = resolveReceive(options.receive);
  const started = await startRelays(choice, size.relays, transport);
  try {
    for (const relay of started.relays)
      log(
        `relay ${relay.label} (${transport} ${relay.host}:${relay.port}${relay.pid ? `, pid ${relay.pid}` : ''})`,
      );
    log(`generator receives with ${receiveLabel(receive, transport)}`);
    // Every relay gets the same share of clients: as many workers on each.
    const workers = Math.ceil(options.workers / size.relays) * size.relays;
    const shape = { receive, clients, senders, workers, durationMs: options.durationMs };
    const session = await TrafficSession.open(started.relays, shape, log);
    try {
      const commandsBefore = await started.redisCommands?.();
      const outcome = options.sweep
        ? await sweep(session, firstRate(options, clients), log)
        : { results: [await runLogged(session, options.rate ?? DEFAULTS.rate, log)], best: null };
      const commandsAfter = await started.redisCommands?.();
      const linesSent = outcome.results.reduce((n, r) => n + r.linesSent, 0);
      const redisOpsPerLine =
        commandsBefore === undefined || commandsAfter === undefined || linesSent === 0
          ? null
          : (commandsAfter - commandsBefore) / linesSent;
      if (redisOpsPerLine !== null) log(`Redis ran ${redisOpsPerLine.toFixed(2)} commands per line sent`);
      return {
        transport,
        store,
        clients,
        senders,
        relays: size.relays,
        redisOpsPerLine,
        relay: started.label,
        generatorReceive: receiveLabel(receive, transport),
        failedJoins: session.failedJoins,
        steps: outcome.results,
        bestLinesPerSecond: outcome.best,
      };
    } finally {
      await session.close();
    }
  } finally {
    await started.stop();
  }
}

function firstRate(options: TrafficOptions, clients: number): number {
  return options.rate ?? SWEEP_START_DELIVERIES / (clients - 1);
}

/**
 * A failing step is run once more before the search believes it: on a shared machine one burst of
 * someone else's work can make a step fail that passes on a quiet machine. Both runs are reported.
 */
async function sweep(session: TrafficSession, start: number, log: Log): Promise<SweepOutcome> {
  const search = new RateSearch(start);
  const results: StepResult[] = [];
  for (let rate = search.next(); rate !== undefined; rate = search.next()) {
    let result = await runLogged(session, rate, log);
    results.push(result);
    if (result.lossPercent >= MAX_LOSS_PERCENT) {
      const again = await runLogged(session, rate, log);
      results.push(again);
      if (again.lossPercent < result.lossPercent) result = again;
    }
    search.report(result.lossPercent);
  }
  return { results, best: search.bestRate ?? null };
}

interface SweepOutcome {
  readonly results: StepResult[];
  readonly best: number | null;
}

async function runLogged(session: TrafficSession, rate: number, log: Log): Promise<StepResult> {
  const r = await session.runStep(rate);
  const p99 = r.latencyMs === null ? '-' : `${r.latencyMs.p99.toFixed(2)} ms`;
  log(
    `${r.clients} clients, ${round(r.linesPerSecond)} lines/s: loss ${r.lossPercent.toFixed(2)} %, ` +
      `${round(r.deliveriesPerSecond)} deliveries/s, p99 ${p99}, ` +
      `relay CPU ${r.relayCpu === null ? '-' : `${r.relayCpu.percentOfCore.toFixed(0)} %`}, ` +
      `generator CPU ${r.generatorCpu.percentOfCore.toFixed(0)} %`,
  );
  return r;
}

function round(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
