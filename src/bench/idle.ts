/**
 * `udpchat bench --idle-clients N`: the cost of many joined, quiet clients. The clients are spread over
 * worker processes (a process may hold 20,000 files here) and source addresses 127.0.0.2, 127.0.0.3, ...
 * (one address has ~28,000 ephemeral ports); each joins, is parked in a small room, and pings every 10 s.
 * Once all have joined and the relay is quiet, the relay's CPU time and memory are read over a window.
 */
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkerCounters, WorkerSetup } from './messages.ts';
import { addressCount, sliceClients, type WorkerSlice } from './model/plan.ts';
import {
  type MemoryUse,
  readCpuMs,
  readMemory,
  readUdpCounters,
  udpBufferDrops,
} from './model/proc-stats.ts';
import { percentOfCore } from './model/result.ts';
import type { IdleOptions } from './options.ts';
import { waitUntilQuiet } from './quiet.ts';
import { type RelayUnderTest, startRelay } from './relay-process.ts';
import type { Log } from './run.ts';
import { CLIENTS_PER_ADDRESS, receiveLabel, resolveReceive, workerSetup } from './worker/worker-setup.ts';
import { WorkerPool } from './worker-pool.ts';

/** The issue's scale goals for 100,000 idle clients. */
export const IDLE_GOALS = { clients: 100_000, rssMb: 200, cpuPercentOfCore: 25 } as const;
const MAX_SOCKETS_PER_PROCESS = 15_000;
/** Files a worker needs besides its sockets (Node itself, pipes, the IPC channel). */
const SPARE_FILES = 500;
const JOIN_WINDOW = 256;
/**
 * After the last join: let the join notices drain and the pings reach their steady rate (a few seconds
 * for 100,000 clients; a handful of clients settle at once).
 */
const SETTLE_MIN_MS = 5_000;
const SETTLE_MS_PER_CLIENT = 0.1;
const SETTLE_MAX_MS = 60_000;
/** Lets the /leave datagrams go out before the workers close their sockets. */
const LEAVE_GRACE_MS = 200;

export interface IdleResult {
  readonly relay: string;
  /** How the generator read its sockets (see --receive). */
  readonly generatorReceive: string;
  readonly clients: number;
  readonly joined: number;
  readonly failedJoins: number;
  readonly processes: number;
  readonly sourceAddresses: number;
  readonly roomSize: number;
  readonly joinSeconds: number;
  readonly windowSeconds: number;
  readonly pingIntervalSeconds: number;
  readonly pingsSent: number;
  readonly pongsReceived: number;
  /** Datagrams the kernel dropped for full socket buffers in the window (whole machine); null if unknown. */
  readonly kernelUdpDrops: number | null;
  /** null when the relay's pid is unknown. */
  readonly relayMemory:
    | (MemoryUse & { readonly baselineRssKb: number; readonly bytesPerClient: number })
    | null;
  readonly relayCpuPercentOfCore: number | null;
  readonly generatorCpuPercentOfCore: number;
  readonly goals: typeof IDLE_GOALS;
}

export async function runIdle(options: IdleOptions, log: Log): Promise<IdleResult> {
  const relay = await startRelay(options.relay, options.transport);
  try {
    log(
      `relay ${relay.label} (${relay.transport} ${relay.host}:${relay.port}${relay.pid ? `, pid ${relay.pid}` : ''})`,
    );
    return await measureIdle(options, relay, log);
  } finally {
    await relay.stop();
  }
}

async function measureIdle(options: IdleOptions, relay: RelayUnderTest, log: Log): Promise<IdleResult> {
  const baseline = relay.pid === undefined ? undefined : readMemory(relay.pid);
  const perProcess = Math.min(MAX_SOCKETS_PER_PROCESS, fileLimit() - SPARE_FILES);
  const slices = sliceClients(options.clients, 0, Math.ceil(options.clients / perProcess));
  const pool = WorkerPool.start(slices.length);
  try {
    await pool.all((i) => ({ type: 'setup', setup: idleSetup(options, relay, slices[i]) }), 'ok');
    log(`${slices.length} processes opened ${options.clients} sockets; joining`);
    const started = performance.now();
    const joins = await pool.all(() => ({ type: 'join' }), 'joined');
    const joinSeconds = (performance.now() - started) / 1000;
    const failed = joins.reduce((n, j) => n + j.result.failed, 0);
    log(`joined ${options.clients - failed} clients in ${joinSeconds.toFixed(1)} s; settling`);
    await waitUntilQuiet(
      pool,
      Math.min(SETTLE_MIN_MS, 500 + options.clients * SETTLE_MS_PER_CLIENT),
      SETTLE_MAX_MS,
    );
    log(`measuring for ${options.windowMs / 1000} s`);
    const window = await measureWindow(pool, relay, options.windowMs);
    const failure = relay.failure();
    if (failure !== undefined) throw new Error(failure);
    return {
      relay: relay.label,
      generatorReceive: receiveLabel(resolveReceive(options.receive), options.transport),
      clients: options.clients,
      joined: options.clients - failed,
      failedJoins: failed,
      processes: slices.length,
      sourceAddresses: addressCount(options.clients, CLIENTS_PER_ADDRESS),
      roomSize: options.roomSize,
      joinSeconds,
      windowSeconds: window.wallMs / 1000,
      pingIntervalSeconds: options.pingIntervalMs / 1000,
      pingsSent: window.pingsSent,
      pongsReceived: window.pongsReceived,
      kernelUdpDrops: window.kernelUdpDrops ?? null,
      relayMemory: memoryFigures(window.memory, baseline, options.clients - failed),
      relayCpuPercentOfCore:
        window.relayCpuMs === undefined ? null : percentOfCore(window.relayCpuMs, window.wallMs),
      generatorCpuPercentOfCore: percentOfCore(window.workerCpuMs, window.wallMs),
      goals: IDLE_GOALS,
    };
  } finally {
    await stopClients(pool, relay);
  }
}

/** Against a relay we did not start, the clients say /leave rather than linger until they time out. */
async function stopClients(pool: WorkerPool, relay: RelayUnderTest): Promise<void> {
  try {
    if (!relay.spawned) {
      await pool.all(() => ({ type: 'leave' }), 'ok');
      await sleep(LEAVE_GRACE_MS);
    }
  } finally {
    await pool.stop();
  }
}

interface WindowFigures {
  readonly wallMs: number;
  readonly relayCpuMs: number | undefined;
  readonly workerCpuMs: number;
  readonly pingsSent: number;
  readonly pongsReceived: number;
  readonly kernelUdpDrops: number | undefined;
  readonly memory: MemoryUse | undefined;
}

async function measureWindow(
  pool: WorkerPool,
  relay: RelayUnderTest,
  windowMs: number,
): Promise<WindowFigures> {
  const counters = async (): Promise<WorkerCounters[]> =>
    (await pool.all(() => ({ type: 'counters' }), 'counters')).map((r) => r.counters);
  const cpu = (): number | undefined => (relay.pid === undefined ? undefined : readCpuMs(relay.pid));
  const before = await counters();
  const relayBefore = cpu();
  const udpBefore = readUdpCounters();
  const startedAt = performance.now();
  await sleep(windowMs);
  const relayAfter = cpu();
  const udpAfter = readUdpCounters();
  const wallMs = performance.now() - startedAt;
  const after = await counters();
  const total = (list: readonly WorkerCounters[], pick: (c: WorkerCounters) => number): number =>
    list.reduce((n, c) => n + pick(c), 0);
  return {
    wallMs,
    relayCpuMs: relayAfter === undefined || relayBefore === undefined ? undefined : relayAfter - relayBefore,
    workerCpuMs: (total(after, (c) => c.cpuUs) - total(before, (c) => c.cpuUs)) / 1000,
    pingsSent: total(after, (c) => c.pingsSent) - total(before, (c) => c.pingsSent),
    pongsReceived: total(after, (c) => c.pongsReceived) - total(before, (c) => c.pongsReceived),
    kernelUdpDrops: udpBufferDrops(udpBefore, udpAfter),
    memory: relay.pid === undefined ? undefined : readMemory(relay.pid),
  };
}

function memoryFigures(
  memory: MemoryUse | undefined,
  baseline: MemoryUse | undefined,
  clients: number,
): IdleResult['relayMemory'] {
  if (memory === undefined || baseline === undefined) return null;
  const bytesPerClient = clients > 0 ? ((memory.rssKb - baseline.rssKb) * 1024) / clients : 0;
  return { ...memory, baselineRssKb: baseline.rssKb, bytesPerClient };
}

function idleSetup(options: IdleOptions, relay: RelayUnderTest, slice: WorkerSlice | undefined): WorkerSetup {
  return workerSetup(relay, slice, {
    loopback: relay.host.startsWith('127.'),
    idleRoomSize: options.roomSize,
    pingIntervalMs: options.pingIntervalMs,
    joinWindow: JOIN_WINDOW,
    recvBufferSize: 0,
    receive: resolveReceive(options.receive),
  });
}

/** The open-file limit a child process gets (workers inherit the same), from the shell's `ulimit -n`. */
function fileLimit(): number {
  try {
    const text = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return text === 'unlimited' ? MAX_SOCKETS_PER_PROCESS + SPARE_FILES : Number(text) || 1024;
  } catch {
    return 1024;
  }
}
