/**
 * The relay's Prometheus registry (its own, never prom-client's global one). Every metric is computed in a
 * `collect` callback at scrape time from plain numbers the relay keeps anyway, so serving metrics costs
 * the hot path nothing but a few integer increments. Names live in metrics-names.ts.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { RelayVitals } from '../relay-host/relay-server.ts';
import type { StreamVitals } from '../relay-host/stream-listeners.ts';
import type { TransportStats } from '../transport/transport-stats.ts';
import type { RelayCounters } from './metrics-counters.ts';
import type { LagReading } from './metrics-loop-lag.ts';
import { METRIC } from './metrics-names.ts';

export interface RelayMetricsSources {
  readonly counters: RelayCounters;
  /** Undefined until the relay's socket is bound. */
  readonly vitals: () => RelayVitals | undefined;
  readonly lag: () => LagReading;
  /** Monotonic milliseconds, for the top-talker window. */
  readonly now: () => number;
  readonly startedAtSeconds: number;
}

/** Bounded label cardinality: only this many nicks are ever exposed. */
export const TOP_TALKERS_EXPOSED = 10;

type Pairs = Iterable<readonly [string, number]>;

export function createRelayRegistry(sources: RelayMetricsSources): Registry {
  const registry = new Registry();
  registerTraffic(registry, sources);
  registerEvents(registry, sources.counters);
  registerState(registry, sources);
  registerV2(registry, sources);
  registerStreams(registry, sources);
  return registry;
}

/** Protocol v2 (docs/PROTOCOL-v2.md): sessions, and the reliable channel's work. */
function registerV2(registry: Registry, sources: RelayMetricsSources): void {
  const read = (pick: (vitals: RelayVitals) => number) => (): number => {
    const vitals = sources.vitals();
    return vitals === undefined ? 0 : pick(vitals);
  };
  gauge(registry, METRIC.v2Sessions, 'Established v2 sessions.', [], () => [
    ['', read((v) => v.v2Sessions)()],
  ]);
  counter(
    registry,
    METRIC.v2Retransmissions,
    'Lines re-sent to v2 clients (a timeout, a fast retransmit, a validated path move).',
    read((v) => v.v2.retransmissions),
  );
  counter(
    registry,
    METRIC.v2LinesFailed,
    'Lines to v2 clients given up after every retransmission.',
    read((v) => v.v2.linesFailed),
  );
  counter(
    registry,
    METRIC.v2Migrations,
    'v2 sessions moved to a new, validated address.',
    read((v) => v.v2.migrations),
  );
  counter(
    registry,
    METRIC.v2Handshakes,
    'v2 sessions accepted (a valid cookie).',
    read((v) => v.v2.accepts),
  );
  counter(
    registry,
    METRIC.v2Dropped,
    'v2 datagrams dropped (malformed, did not open, replayed, unknown).',
    read((v) => v.v2.dropped),
  );
  counter(
    registry,
    METRIC.v2AuthFailures,
    'Sealed v2 datagrams that did not open: forged, altered, truncated, or another session’s.',
    read((v) => v.v2.authFailed),
  );
  counter(
    registry,
    METRIC.v2Replays,
    'Sealed v2 datagrams that opened with a packet number already seen or too old.',
    read((v) => v.v2.replayed),
  );
  counter(
    registry,
    METRIC.v2VersionRejects,
    'HELLOs of another wire version (an old v2 client) refused with REJECT 1.',
    read((v) => v.v2.versionRejects),
  );
  counter(
    registry,
    METRIC.strictDrops,
    'v1 datagrams dropped because of --strict.',
    read((v) => v.strictDrops),
  );
}

/**
 * TCP (`--tcp-port`) and WebSocket (`--web`) clients, labelled by transport. A unit is one line over TCP or
 * one message over a WebSocket. A transport that is off reports nothing, so a dashboard can tell "off" from
 * "idle".
 */
function registerStreams(registry: Registry, sources: RelayMetricsSources): void {
  const streams = (): Array<readonly [string, StreamVitals]> => {
    const vitals = sources.vitals();
    if (vitals === undefined) return [];
    const on: Array<readonly [string, StreamVitals]> = [];
    if (vitals.tcp !== null) on.push(['tcp', vitals.tcp]);
    if (vitals.ws !== null) on.push(['ws', vitals.ws]);
    return on;
  };
  const each = (pick: (stats: Readonly<TransportStats>) => number) => (): Pairs =>
    streams().map(([transport, s]) => [transport, pick(s.stats)] as const);
  const open = (): Pairs => streams().map(([transport, s]) => [transport, s.connections] as const);
  gauge(registry, METRIC.streamConnections, 'Open TCP and WebSocket connections.', ['transport'], open);
  const per = 'per transport (a TCP line, a WebSocket message)';
  labelled(
    registry,
    METRIC.streamUnitsIn,
    `Units received, ${per}.`,
    'transport',
    each((s) => s.datagramsIn),
  );
  labelled(
    registry,
    METRIC.streamUnitsOut,
    `Units sent, ${per}.`,
    'transport',
    each((s) => s.datagramsOut),
  );
  labelled(
    registry,
    METRIC.streamBytesIn,
    'Stream bytes received.',
    'transport',
    each((s) => s.bytesIn),
  );
  labelled(
    registry,
    METRIC.streamBytesOut,
    'Stream bytes sent.',
    'transport',
    each((s) => s.bytesOut),
  );
  labelled(
    registry,
    METRIC.streamSendErrors,
    'Stream writes to a connection that had already ended (closed, reset, dropped as too slow).',
    'transport',
    each((s) => s.sendErrors),
  );
}

function registerTraffic(registry: Registry, sources: RelayMetricsSources): void {
  const udp = (read: (vitals: RelayVitals) => number) => (): number => {
    const vitals = sources.vitals();
    return vitals === undefined ? 0 : read(vitals);
  };
  counter(
    registry,
    METRIC.datagramsIn,
    'UDP datagrams received.',
    udp((v) => v.udp.datagramsIn),
  );
  counter(
    registry,
    METRIC.datagramsOut,
    'UDP datagrams handed to the kernel.',
    udp((v) => v.udp.datagramsOut),
  );
  counter(
    registry,
    METRIC.bytesIn,
    'UDP payload bytes received.',
    udp((v) => v.udp.bytesIn),
  );
  counter(
    registry,
    METRIC.bytesOut,
    'UDP payload bytes sent.',
    udp((v) => v.udp.bytesOut),
  );
  counter(
    registry,
    METRIC.sendErrors,
    'Sends that failed (unreachable peer, full buffer, ...).',
    udp((v) => v.udp.sendErrors),
  );
}

function registerEvents(registry: Registry, counters: RelayCounters): void {
  counter(
    registry,
    METRIC.linesRelayed,
    'Chat lines relayed (room lines, actions, private messages).',
    () => counters.linesRelayed,
  );
  counter(
    registry,
    METRIC.deliveries,
    'Copies of relayed lines sent to recipients.',
    () => counters.deliveries,
  );
  counter(registry, METRIC.joins, 'Successful nickname registrations.', () => counters.joins);
  labelled(registry, METRIC.departures, 'Clients gone, by reason (left, timed-out, killed).', 'reason', () =>
    hyphenated(counters.departures),
  );
  counter(
    registry,
    METRIC.evictions,
    'Clients evicted for silence (departures with reason timed-out).',
    () => counters.evictions,
  );
  labelled(
    registry,
    METRIC.refusals,
    'Lines or datagrams refused with an error reply, by reason.',
    'reason',
    () => counters.refusals,
  );
  labelled(
    registry,
    METRIC.ignored,
    'Datagrams or lines dropped without a reply, by reason.',
    'reason',
    () => counters.ignored,
  );
  counter(
    registry,
    METRIC.throttled,
    'Lines dropped by per-client flood control.',
    () => counters.throttledLines,
  );
}

function registerState(registry: Registry, sources: RelayMetricsSources): void {
  gauge(registry, METRIC.clients, 'Joined clients.', [], () => [['', sources.vitals()?.clients ?? 0]]);
  gauge(registry, METRIC.rooms, 'Rooms with at least one member.', [], () => [
    ['', sources.vitals()?.rooms ?? 0],
  ]);
  // With --cluster only: 1 for the bus's current state (connecting, connected, degraded, closed).
  gauge(registry, METRIC.clusterState, 'The cluster bus state (1 for the current one).', ['state'], () => {
    const cluster = sources.vitals()?.cluster ?? null;
    return cluster === null ? [] : [[cluster.state, 1]];
  });
  gauge(registry, METRIC.clusterPending, 'Changes waiting for the cluster bus to apply them.', [], () => {
    const cluster = sources.vitals()?.cluster ?? null;
    return cluster === null ? [] : [['', cluster.pending]];
  });
  gauge(registry, METRIC.startTime, 'When the relay started, in Unix seconds.', [], () => [
    ['', sources.startedAtSeconds],
  ]);
  gauge(
    registry,
    METRIC.eventLoopLag,
    'Event-loop lag over the last 10 s: worst per-second p99, and max.',
    ['stat'],
    () => {
      const lag = sources.lag();
      return [
        ['p99', microseconds(lag.p99Ms)],
        ['max', microseconds(lag.maxMs)],
      ];
    },
  );
  gauge(
    registry,
    METRIC.topTalkers,
    `Lines per second of the ${TOP_TALKERS_EXPOSED} busiest nicks, over the last 5-10 s.`,
    ['nick'],
    () => talkerRates(sources),
  );
}

function talkerRates(sources: RelayMetricsSources): Pairs {
  const { talkers, spanMs } = sources.counters.talkers.top(TOP_TALKERS_EXPOSED, sources.now());
  if (spanMs <= 0) return [];
  return talkers.map((t) => [t.nick, (t.lines * 1000) / spanMs] as const);
}

/** Milliseconds to seconds, rounded to the microsecond: finer is noise, and noise reads as precision. */
function microseconds(ms: number): number {
  return Math.round(ms * 1000) / 1e6;
}

/** Core reasons may contain a space ("timed out"); label values read better without. */
function* hyphenated(counts: Map<string, number>): Pairs {
  for (const [reason, count] of counts) yield [reason.replaceAll(' ', '-'), count];
}

function counter(registry: Registry, name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

function labelled(registry: Registry, name: string, help: string, label: string, read: () => Pairs): void {
  new Counter({
    name,
    help,
    labelNames: [label],
    registers: [registry],
    collect() {
      this.reset();
      for (const [value, count] of read()) this.inc({ [label]: value }, count);
    },
  });
}

/** A gauge; with no label names, each pair's label is ignored and its number is the value. */
function gauge(
  registry: Registry,
  name: string,
  help: string,
  labelNames: string[],
  read: () => Pairs,
): void {
  new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const [value, n] of read()) {
        const [label] = labelNames;
        if (label === undefined) this.set(n);
        else this.set({ [label]: value }, n);
      }
    },
  });
}
