/**
 * `udpchat bench --multicast GROUP:PORT`: N serverless LAN peers on this machine (loopback multicast, TTL
 * 0), spread over W worker processes, all in one group. Once every peer has heard every other, each sends
 * its share of the lines for D; the report gives lines sent per second, deliveries per second, one-way
 * latency (p50, p99, max), lines lost, duplicates, and the workers' CPU time per received line (sending,
 * announcing and receiving included: everything the peers cost).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LatencyHistogram } from '../model/histogram.ts';
import type { LanBenchOptions } from '../options.ts';
import type { LanWorkerReply, LanWorkerRequest, LanWorkerResult } from './lan-messages.ts';

const WORKER_ENTRY: string = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? './lan-worker.ts' : './lan-worker.js', import.meta.url),
);

/** A newcomer is present on its second datagram; the periodic announcement is every 5 s. */
const PRESENCE_TIMEOUT_MS = 20_000;
/** After the last line: longer than the reorder hold (500 ms), so every gap has been decided. */
const DRAIN_MS = 1_500;
/** The quiet window before sending that measures what the peers cost with nothing said. */
const IDLE_WINDOW_MS = 2_000;
/** Under LanPeer's own outbound limit (10 at once, then 4 a second), so no line is refused. */
export const DEFAULT_LINES_PER_PEER = 3;

export interface LanBenchResult {
  readonly peers: number;
  readonly workers: number;
  readonly offeredRate: number;
  readonly durationMs: number;
  /** The fewest peers any peer had heard (itself included) when sending began. */
  readonly presence: number;
  readonly sent: number;
  readonly refused: number;
  /** Every line sent, to every other peer. */
  readonly expected: number;
  readonly received: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly throttled: number;
  readonly linesPerSecond: number;
  readonly deliveriesPerSecond: number;
  readonly p50Us: number | null;
  readonly p99Us: number | null;
  readonly maxUs: number;
  readonly cpuUs: number;
  readonly cpuPerDeliveryUs: number | null;
  /** The workers' CPU per second with nothing said (announcements, timers), in µs. */
  readonly idleCpuUsPerSecond: number;
  /** CPU per received line above that idle cost: what one more line costs. */
  readonly marginalCpuPerDeliveryUs: number | null;
}

class LanWorker {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: LanWorkerReply) => void>();

  constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: LanWorkerReply & { readonly id: number }) => {
      this.waiting.get(reply.id)?.(reply);
      this.waiting.delete(reply.id);
    });
    child.on('exit', (code) => {
      for (const settle of this.waiting.values())
        settle({ type: 'error', message: `worker exited (${code})` });
      this.waiting.clear();
    });
  }

  async request(request: LanWorkerRequest): Promise<LanWorkerReply> {
    const id = this.nextId++;
    const reply = await new Promise<LanWorkerReply>((resolve) => {
      this.waiting.set(id, resolve);
      this.child.send({ ...request, id });
    });
    if (reply.type === 'error') throw new Error(reply.message);
    return reply;
  }

  stop(): Promise<void> {
    if (this.child.exitCode !== null || !this.child.connected) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.disconnect();
      setTimeout(() => this.child.kill('SIGKILL'), 5_000).unref();
    });
  }
}

export async function runLanBench(
  options: LanBenchOptions,
  log: (line: string) => void,
): Promise<LanBenchResult[]> {
  const results: LanBenchResult[] = [];
  for (const [index, peers] of options.peers.entries()) {
    const port = options.group.port + index;
    log(`${peers} peers on ${options.group.host}:${port}, ${Math.min(options.workers, peers)} workers`);
    results.push(await runOnce(options, peers, port, log));
  }
  return results;
}

async function runOnce(
  options: LanBenchOptions,
  peers: number,
  port: number,
  log: (line: string) => void,
): Promise<LanBenchResult> {
  const workerCount = Math.max(1, Math.min(options.workers, peers));
  const workers = Array.from(
    { length: workerCount },
    () => new LanWorker(fork(WORKER_ENTRY, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })),
  );
  try {
    let first = 0;
    await Promise.all(
      workers.map((worker, index) => {
        const count = Math.floor(peers / workerCount) + (index < peers % workerCount ? 1 : 0);
        const setup = { groupHost: options.group.host, groupPort: port, first, count };
        first += count;
        return worker.request({ type: 'setup', setup });
      }),
    );
    const heard = await Promise.all(
      workers.map((worker) =>
        worker.request({ type: 'await-presence', peers, timeoutMs: PRESENCE_TIMEOUT_MS }),
      ),
    );
    const presence = Math.min(...heard.map((reply) => (reply.type === 'present' ? reply.heard : 0)));
    if (presence < peers) log(`only ${presence} of ${peers} peers heard by every peer; sending anyway`);
    const idle = await Promise.all(
      workers.map((worker) => worker.request({ type: 'idle', durationMs: IDLE_WINDOW_MS })),
    );
    const idleCpuUsPerSecond = idle.reduce(
      (total, reply) => total + (reply.type === 'idle' ? (reply.cpuUs / reply.elapsedMs) * 1_000 : 0),
      0,
    );
    const offeredRate = options.rate ?? DEFAULT_LINES_PER_PEER * peers;
    await Promise.all(
      workers.map((worker) =>
        worker.request({
          type: 'send',
          linesPerPeerPerSecond: offeredRate / peers,
          durationMs: options.durationMs,
        }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, DRAIN_MS));
    const replies = await Promise.all(workers.map((worker) => worker.request({ type: 'collect' })));
    const collected = replies.flatMap((reply) => (reply.type === 'result' ? [reply.result] : []));
    return summarise(
      options,
      { peers, workers: workerCount, offeredRate, presence, idleCpuUsPerSecond },
      collected,
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
  }
}

interface RunFacts {
  readonly peers: number;
  readonly workers: number;
  readonly offeredRate: number;
  readonly presence: number;
  readonly idleCpuUsPerSecond: number;
}

function summarise(
  options: LanBenchOptions,
  facts: RunFacts,
  results: readonly LanWorkerResult[],
): LanBenchResult {
  const { peers } = facts;
  const sum = (pick: (result: LanWorkerResult) => number): number =>
    results.reduce((total, result) => total + pick(result), 0);
  const histogram = new LatencyHistogram();
  for (const result of results) histogram.mergeSparse(result.latency, result.latencyMax);
  const sent = sum((r) => r.sent);
  const received = sum((r) => r.received);
  const cpuUs = sum((r) => r.cpuUs);
  const seconds = options.durationMs / 1_000;
  // Each worker's own measured span (sending and the drain), at the idle rate summed over workers.
  const meanElapsedMs = sum((r) => r.elapsedMs) / Math.max(1, results.length);
  const idleShareUs = (facts.idleCpuUsPerSecond * meanElapsedMs) / 1_000;
  return {
    ...facts,
    durationMs: options.durationMs,
    sent,
    refused: sum((r) => r.refused),
    expected: sent * (peers - 1),
    received,
    lost: sum((r) => r.lost),
    duplicates: sum((r) => r.duplicates),
    throttled: sum((r) => r.throttled),
    linesPerSecond: sent / seconds,
    deliveriesPerSecond: received / seconds,
    p50Us: histogram.percentile(50) ?? null,
    p99Us: histogram.percentile(99) ?? null,
    maxUs: histogram.max,
    cpuUs,
    cpuPerDeliveryUs: received === 0 ? null : cpuUs / received,
    marginalCpuPerDeliveryUs: received === 0 ? null : Math.max(0, cpuUs - idleShareUs) / received,
  };
}

/** One table row per run. */
export function formatLanBench(results: readonly LanBenchResult[]): string {
  const header =
    '| peers | lines/s sent | refused | deliveries/s | received / expected | lost | dup | p50 | p99 | max | ' +
    'CPU per received line | above idle | idle CPU |\n' +
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n';
  const ms = (value: number | null): string => (value === null ? '-' : `${(value / 1_000).toFixed(2)} ms`);
  const us = (value: number | null): string => (value === null ? '-' : `${value.toFixed(1)} us`);
  const rows = results.map(
    (r) =>
      `| ${r.peers} | ${r.linesPerSecond.toFixed(1)} | ${r.refused} | ${Math.round(r.deliveriesPerSecond)} | ` +
      `${r.received} / ${r.expected} | ${r.lost} | ${r.duplicates} | ${ms(r.p50Us)} | ${ms(r.p99Us)} | ` +
      `${ms(r.maxUs)} | ${us(r.cpuPerDeliveryUs)} | ${us(r.marginalCpuPerDeliveryUs)} | ` +
      `${(r.idleCpuUsPerSecond / 10_000).toFixed(1)} % of a core |`,
  );
  return `${header}${rows.join('\n')}\n`;
}
