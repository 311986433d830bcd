/**
 * The lossy-network simulator bound to sockets and timers. Each client address gets its own upstream
 * socket towards the target (a fresh ephemeral port, like a NAT mapping), and every datagram in either
 * direction goes through the pure fault model; this file only schedules and moves what it decides.
 */
import { randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type Address, addressKey } from '../protocol/address.ts';
import type { DatagramTransport } from '../transport/datagram-transport.ts';
import { UdpEndpoint } from '../transport/udp.ts';
import {
  type DirectionStats,
  emptyDirectionStats,
  FaultScheduler,
  type FaultStream,
} from './fault-scheduler.ts';
import { MappingTable } from './mapping-table.ts';
import { deriveSeed, MAX_SEED, mulberry32 } from './prng.ts';
import type { ChaosSettings } from './settings.ts';
import { traceOption } from './trace-option.ts';

/** `up`: client to target; `down`: target's replies back to the client. */
export type Direction = 'up' | 'down';

export type { DirectionStats } from './fault-scheduler.ts';

export interface ChaosStats {
  readonly up: DirectionStats;
  readonly down: DirectionStats;
  mappingsOpened: number;
  mappingsExpired: number;
  /** Datagrams from new clients turned away because --max-mappings mappings were open. */
  refused: number;
  /** Mappings whose upstream socket could not be bound (e.g. no file descriptors left). */
  mappingFailures: number;
}

export interface ChaosProxyHooks {
  /** Receives one line per datagram in or out of any socket and one per fault decision (`--trace`). */
  readonly trace?: (line: string) => void;
}

interface Mapping {
  readonly key: string;
  readonly client: Address;
  readonly upstream: Promise<DatagramTransport>;
}

export class ChaosProxy {
  readonly stats: ChaosStats = {
    up: emptyDirectionStats(),
    down: emptyDirectionStats(),
    mappingsOpened: 0,
    mappingsExpired: 0,
    refused: 0,
    mappingFailures: 0,
  };
  private readonly mappings: MappingTable<Mapping>;
  /** One fault stream per direction (see FaultStream). */
  private readonly streams: Readonly<Record<Direction, FaultStream>>;
  private readonly scheduler: FaultScheduler;
  private readonly closing = new Set<Promise<void>>();
  /** Local ports of the listener and every mapping socket (see bindUpstream). */
  private readonly ports = new Set<number>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly listener: DatagramTransport,
    private readonly settings: ChaosSettings,
    readonly seed: number,
    private readonly trace: ((line: string) => void) | undefined,
  ) {
    this.mappings = new MappingTable({
      idleTimeoutMs: settings.mappingTimeoutMs,
      capacity: settings.maxMappings,
    });
    this.streams = {
      up: { random: mulberry32(deriveSeed(seed, 0)), stats: this.stats.up },
      down: { random: mulberry32(deriveSeed(seed, 1)), stats: this.stats.down },
    };
    this.scheduler = new FaultScheduler(settings.faults, trace);
    this.ports.add(listener.local.port);
    listener.onDatagram((from, bytes) => this.fromClient(from, bytes));
  }

  static async start(settings: ChaosSettings, hooks: ChaosProxyHooks = {}): Promise<ChaosProxy> {
    const listener = await UdpEndpoint.bind({ ...settings.listen, ...traceOption(hooks.trace) });
    const seed = settings.seed ?? randomInt(MAX_SEED + 1);
    return new ChaosProxy(listener, settings, seed, hooks.trace);
  }

  get address(): Address {
    return this.listener.local;
  }

  get mappingCount(): number {
    return this.mappings.size;
  }

  /** Closes the listener and every mapping; delayed copies not yet sent are discarded. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    clearTimeout(this.sweepTimer);
    this.scheduler.cancelAll();
    for (const mapping of this.mappings.clear()) this.closeMapping(mapping);
    await Promise.all([...this.closing, this.listener.close()]);
  }

  private fromClient(client: Address, bytes: Uint8Array): void {
    if (this.stopping !== undefined) return;
    const now = performance.now();
    const mapping = this.mappingFor(client, now);
    if (mapping === undefined) {
      this.stats.refused++;
      this.trace?.(`mapping refused ${addressKey(client)}: --max-mappings reached`);
      return;
    }
    const lastDelay = this.forward('up', client, bytes, () => this.sendUp(mapping, bytes));
    // A mapping must outlive its own delayed copies, or a long --delay would let it expire under them.
    this.mappings.touch(mapping.key, now + lastDelay);
  }

  private fromTarget(mapping: Mapping, bytes: Uint8Array): void {
    if (this.stopping !== undefined) return;
    this.mappings.touch(mapping.key, performance.now());
    this.forward('down', mapping.client, bytes, () => this.sendDown(mapping, bytes));
  }

  private sendUp(mapping: Mapping, bytes: Uint8Array): void {
    // A copy due before its mapping's socket is bound waits for it; a mapping that failed sends nothing.
    void mapping.upstream.then((upstream) => {
      this.stats.up.forwarded++;
      upstream.send(this.settings.target, bytes);
    }, ignore);
  }

  private sendDown(mapping: Mapping, bytes: Uint8Array): void {
    this.stats.down.forwarded++;
    this.listener.send(mapping.client, bytes);
  }

  /** Decides the datagram's fate and schedules its copies; returns the longest delay scheduled (ms). */
  private forward(direction: Direction, client: Address, bytes: Uint8Array, send: () => void): number {
    return this.scheduler.forward(this.streams[direction], `${direction} ${addressKey(client)}`, bytes, send);
  }

  private mappingFor(client: Address, now: number): Mapping | undefined {
    const key = addressKey(client);
    const existing = this.mappings.get(key);
    if (existing !== undefined || this.mappings.full) return existing;
    const mapping = this.openMapping(key, client);
    this.mappings.add(key, mapping, now);
    this.scheduleSweep();
    return mapping;
  }

  private openMapping(key: string, client: Address): Mapping {
    const upstream = this.bindUpstream();
    const mapping: Mapping = { key, client, upstream };
    this.stats.mappingsOpened++;
    upstream.then(
      (endpoint) => {
        endpoint.onDatagram((_from, bytes) => this.fromTarget(mapping, bytes));
        this.trace?.(`mapping open ${key} via udp/${endpoint.local.port}`);
      },
      () => this.failMapping(mapping),
    );
    return mapping;
  }

  /**
   * UdpEndpoint binds with SO_REUSEADDR, and with it Linux may give port 0 a port another such socket
   * already holds. Two mappings on one port would hand one client's replies to the other, so a socket
   * whose port this proxy already uses is kept aside (so the kernel picks another) and closed afterwards.
   */
  private async bindUpstream(): Promise<DatagramTransport> {
    const host = upstreamBindHost(this.settings.target);
    const setAside: UdpEndpoint[] = [];
    try {
      for (let attempt = 0; attempt < MAX_BIND_ATTEMPTS; attempt++) {
        const endpoint = await UdpEndpoint.bind({ host, port: 0, ...traceOption(this.trace) });
        if (!this.ports.has(endpoint.local.port)) {
          this.ports.add(endpoint.local.port);
          return endpoint;
        }
        setAside.push(endpoint);
      }
      throw new Error(`no unused local port after ${MAX_BIND_ATTEMPTS} attempts`);
    } finally {
      await Promise.all(setAside.map((endpoint) => endpoint.close()));
    }
  }

  private failMapping(mapping: Mapping): void {
    this.stats.mappingFailures++;
    this.trace?.(`mapping failed ${mapping.key}: no local port could be bound`);
    if (this.mappings.get(mapping.key) === mapping) this.mappings.remove(mapping.key);
  }

  private closeMapping(mapping: Mapping): void {
    const closed = mapping.upstream.then(async (endpoint) => {
      await endpoint.close();
      this.ports.delete(endpoint.local.port);
    }, ignore);
    this.closing.add(closed);
    void closed.then(() => this.closing.delete(closed));
  }

  /** One timer for the whole table, due when the earliest mapping can expire (timers as data). */
  private scheduleSweep(): void {
    if (this.sweepTimer !== undefined || this.stopping !== undefined) return;
    const due = this.mappings.nextExpiryAt();
    if (due === undefined) return;
    this.sweepTimer = setTimeout(() => this.sweep(), Math.max(0, due - performance.now()));
  }

  private sweep(): void {
    this.sweepTimer = undefined;
    for (const mapping of this.mappings.expire(performance.now())) {
      this.stats.mappingsExpired++;
      this.trace?.(`mapping expired ${mapping.key}`);
      this.closeMapping(mapping);
    }
    this.scheduleSweep();
  }
}

/** Each attempt that lands on a port in use has a chance of about (mappings / 28,000) on Linux. */
const MAX_BIND_ATTEMPTS = 8;

function ignore(): void {}

/** Upstream sockets stay on loopback when the target is local, and use the target's address family. */
function upstreamBindHost(target: Address): string {
  if (isIP(target.host) === 6) return target.host === '::1' ? '::1' : '::';
  return target.host.startsWith('127.') ? '127.0.0.1' : '0.0.0.0';
}
