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
import { startRelay } from './relay-process.ts';
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
  readonly relay: string;
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
      for (const clients of options.clients) {
        const database = store === 'db' ? await BenchDatabase.make() : null;
        try {
          const relay = database === null ? options.relay : database.relayChoice(options.relay);
          series.push(await runSeries(options, relay, clients, transport, store, log));
        } finally {
          await database?.remove();
        }
      }
  return series;
}

async function runSeries(
  options: TrafficOptions,
  choice: RelayChoice,
  clients: number,
  transport: BenchTransport,
  store: BenchStore,
  log: Log,
): Promise<TrafficSeries> {
  const senders = options.senders ?? Math.min(clients, 10);
  const receive = resolveReceive(options.receive);
  const relay = await startRelay(choice, transport);
  try {
    log(
      `relay ${relay.label} (${transport} ${relay.host}:${relay.port}${relay.pid ? `, pid ${relay.pid}` : ''})`,
    );
    log(`generator receives with ${receiveLabel(receive, transport)}`);
    const shape = { receive, clients, senders, workers: options.workers, durationMs: options.durationMs };
    const session = await TrafficSession.open(relay, shape, log);
    try {
      const outcome = options.sweep
        ? await sweep(session, firstRate(options, clients), log)
        : { results: [await runLogged(session, options.rate ?? DEFAULTS.rate, log)], best: null };
      return {
        transport,
        store,
        clients,
        senders,
        relay: relay.label,
        generatorReceive: receiveLabel(receive, transport),
        failedJoins: session.failedJoins,
        steps: outcome.results,
        bestLinesPerSecond: outcome.best,
      };
    } finally {
      await session.close();
    }
  } finally {
    await relay.stop();
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
