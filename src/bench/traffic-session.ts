/**
 * N joined bench clients spread over worker processes, ready to run steps: each step sends a line rate
 * for a duration, waits for the relay to drain, and measures deliveries, latency and CPU time (the relay's
 * from /proc, each worker's from process.cpuUsage()) over that window.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { GeneratorReceive, SendReport, StepPlan, WorkerCounters, WorkerSetup } from './messages.ts';
import { maxSeqFor, sliceClients, type WorkerSlice, workerLineRate } from './model/plan.ts';
import {
  readCpuMs,
  readMachineCpuMs,
  readSystemCpuMs,
  readUdpCounters,
  type UdpCounters,
  udpBufferDrops,
} from './model/proc-stats.ts';
import { type StepResult, summarizeStep } from './model/result.ts';
import { waitUntilQuiet } from './quiet.ts';
import type { RelayUnderTest } from './relay-process.ts';
import { BenchClock } from './worker/clock.ts';
import { workerSetup } from './worker/worker-setup.ts';
import { WorkerPool } from './worker-pool.ts';

/** Time for every worker to get its step plan before the first line is due. */
const START_DELAY_MS = 100;
/** After the last line: a delivery later than 100 ms is lost anyway; this tells late from never. */
const DRAIN_MIN_MS = 200;
const DRAIN_MAX_MS = 1_000;
/** Joins announce themselves to the lobby (N^2/2 notices for N clients): wait for those to pass. */
const SETTLE_MAX_MS = 60_000;
/** Lets the /leave datagrams go out before the workers close their sockets. */
const LEAVE_GRACE_MS = 200;
/** Each receiving worker keeps one bit per expected delivery; refuse steps that would need more. */
const MAX_RECEIPT_BITS = 2 ** 31;
const JOIN_WINDOW = 64;
const PING_INTERVAL_MS = 10_000;
/** Room for bursts: a client may take in thousands of deliveries a second. */
const CLIENT_RCVBUF = 1 << 20;

export interface SessionShape {
  readonly receive: GeneratorReceive;
  readonly clients: number;
  readonly senders: number;
  readonly workers: number;
  readonly durationMs: number;
}

/** Counters read at the edges of a step's window. */
interface Snapshot {
  readonly at: number;
  readonly relayCpuMs: number | undefined;
  readonly relaySystemCpuMs: number | undefined;
  readonly workers: readonly WorkerCounters[];
  readonly udp: UdpCounters | undefined;
  readonly machine: { readonly busy: number; readonly softirq: number } | undefined;
}

export class TrafficSession {
  private steps = 0;

  private constructor(
    /** One relay, or the relays of a cluster (`--relays N`): worker i's clients use relay i mod N. */
    private readonly relays: readonly RelayUnderTest[],
    private readonly pool: WorkerPool,
    private readonly slices: readonly WorkerSlice[],
    private readonly shape: SessionShape,
    readonly failedJoins: number,
  ) {}

  static async open(
    relays: readonly RelayUnderTest[],
    shape: SessionShape,
    log: (line: string) => void,
  ): Promise<TrafficSession> {
    const first = relays[0];
    if (first === undefined) throw new Error('no relay to measure');
    const slices = sliceClients(shape.clients, shape.senders, shape.workers);
    const pool = WorkerPool.start(slices.length);
    try {
      const loopback = first.host.startsWith('127.');
      const relayOf = (i: number): RelayUnderTest => relays[i % relays.length] ?? first;
      await pool.all(
        (i) => ({ type: 'setup', setup: setupFor(relayOf(i), slices[i], loopback, shape.receive) }),
        'ok',
      );
      const started = performance.now();
      const joins = await pool.all(() => ({ type: 'join' }), 'joined');
      const failed = joins.reduce((n, j) => n + j.result.failed, 0);
      log(`joined ${shape.clients - failed} of ${shape.clients} clients in ${seconds(started)} s`);
      await waitUntilQuiet(pool, 500, SETTLE_MAX_MS);
      return new TrafficSession(relays, pool, slices, shape, failed);
    } catch (error) {
      await pool.stop();
      throw error;
    }
  }

  /** Sends `linesPerSecond` in total for the session's duration and measures what arrived. */
  async runStep(linesPerSecond: number): Promise<StepResult> {
    const { durationMs, senders, clients } = this.shape;
    const maxSeq = this.trackableMaxSeq(linesPerSecond);
    const step = this.steps++;
    const clock = BenchClock.startingNow();
    const before = await this.measure();
    const startUs = clock.nowUs() + START_DELAY_MS * 1000;
    const sends = await this.pool.all(
      (i) => ({ type: 'step', plan: this.planFor(i, step, clock, startUs, linesPerSecond, maxSeq) }),
      'sent',
    );
    await waitUntilQuiet(this.pool, DRAIN_MIN_MS, DRAIN_MAX_MS);
    const collects = await this.pool.all(() => ({ type: 'collect' }), 'collected');
    const after = await this.measure();
    for (const relay of this.relays) {
      const failure = relay.failure();
      if (failure !== undefined) throw new Error(failure);
    }
    return summarizeStep({
      clients,
      senders,
      linesPerSecond,
      durationMs,
      windowMs: after.at - before.at,
      sends: sends.map((s): SendReport => s.report),
      collects: collects.map((c) => c.report),
      relayCpuMs: difference(after.relayCpuMs, before.relayCpuMs),
      relaySystemCpuMs: difference(after.relaySystemCpuMs, before.relaySystemCpuMs),
      workerCpuMs: after.workers.map((w, i) => (w.cpuUs - (before.workers[i]?.cpuUs ?? 0)) / 1000),
      kernelUdpDrops: udpBufferDrops(before.udp, after.udp),
      machineCpuMs: machineDifference(before.machine, after.machine),
    });
  }

  /** The step's largest sequence number, once it is clear the receipt books fit in memory. */
  private trackableMaxSeq(linesPerSecond: number): number {
    const { durationMs, senders } = this.shape;
    const maxSeq = maxSeqFor(this.slices, linesPerSecond, durationMs, senders);
    const biggest = Math.max(...this.slices.map((s) => s.clientCount));
    if (biggest * senders * maxSeq > MAX_RECEIPT_BITS)
      throw new Error(`a step of ${linesPerSecond} lines/s for ${durationMs / 1000} s is too large to track`);
    return maxSeq;
  }

  /** Stops the workers; against a relay we did not start, the clients say /leave first. */
  async close(): Promise<void> {
    try {
      if (!this.relays.every((relay) => relay.spawned)) {
        await this.pool.all(() => ({ type: 'leave' }), 'ok');
        await sleep(LEAVE_GRACE_MS);
      }
    } finally {
      await this.pool.stop();
    }
  }

  private planFor(
    index: number,
    step: number,
    clock: BenchClock,
    startUs: number,
    rate: number,
    maxSeq: number,
  ): StepPlan {
    const slice = this.slices[index];
    if (slice === undefined) throw new Error(`no worker ${index}`);
    return {
      step,
      epochNs: clock.epoch,
      startUs,
      durationMs: this.shape.durationMs,
      linesPerSecond: workerLineRate(rate, slice, this.shape.senders),
      firstSender: slice.firstSender,
      senderCount: slice.senderCount,
      totalSenders: this.shape.senders,
      maxSeq,
    };
  }

  /** The relays' CPU time together (a cluster's is the sum of its relays'), if every one can be read. */
  private relayCpu(read: (pid: number) => number | undefined): number | undefined {
    let total = 0;
    for (const { pid } of this.relays) {
      const ms = pid === undefined ? undefined : read(pid);
      if (ms === undefined) return undefined;
      total += ms;
    }
    return total;
  }

  private async measure(): Promise<Snapshot> {
    const workers = (await this.pool.all(() => ({ type: 'counters' }), 'counters')).map((r) => r.counters);
    return {
      at: performance.now(),
      relayCpuMs: this.relayCpu(readCpuMs),
      relaySystemCpuMs: this.relayCpu(readSystemCpuMs),
      workers,
      udp: readUdpCounters(),
      machine: readMachineCpuMs(),
    };
  }
}

function setupFor(
  relay: RelayUnderTest,
  slice: WorkerSlice | undefined,
  loopback: boolean,
  receive: GeneratorReceive,
): WorkerSetup {
  return workerSetup(relay, slice, {
    loopback,
    idleRoomSize: 0,
    pingIntervalMs: PING_INTERVAL_MS,
    joinWindow: JOIN_WINDOW,
    recvBufferSize: CLIENT_RCVBUF,
    receive,
  });
}

type MachineCpu = Snapshot['machine'];

function machineDifference(before: MachineCpu, after: MachineCpu): MachineCpu {
  if (before === undefined || after === undefined) return undefined;
  return { busy: after.busy - before.busy, softirq: after.softirq - before.softirq };
}

function difference(after: number | undefined, before: number | undefined): number | undefined {
  return after === undefined || before === undefined ? undefined : after - before;
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}
