import type { BenchTransport } from './messages.ts';

/**
 * `udpchat bench` settings, as one typed object per kind of run; `udpchat bench` fills them from its flags
 * (cli/bench-flags.ts).
 */

export type RelayChoice =
  | { readonly kind: 'spawn'; readonly extraArgs: readonly string[] }
  | { readonly kind: 'command'; readonly command: readonly string[] }
  | {
      readonly kind: 'external';
      readonly host: string;
      readonly port: number;
      readonly pid: number | undefined;
    };

/**
 * How the generator reads its clients' sockets: the addon's recvmmsg ('native'), node:dgram ('node'), or
 * the addon when it is built ('auto').
 */
export type ReceiveChoice = 'auto' | 'native' | 'node';

/** A spawned relay's store: memory (no --db) or a fresh SQLite file (--db). */
export type BenchStore = 'memory' | 'db';

export interface TrafficOptions {
  readonly mode: 'traffic';
  readonly relay: RelayChoice;
  readonly receive: ReceiveChoice;
  /** One series per transport (and client count), in this order, each with a fresh relay. */
  readonly transports: readonly BenchTransport[];
  /** Where a spawned relay keeps history, one series each, outermost: 'db' adds --db with a fresh file. */
  readonly stores: readonly BenchStore[];
  /** Relays per series: 1 is one relay as always; N > 1 is N relays in a cluster on a Redis the bench starts. */
  readonly relays: readonly number[];
  /** One client count, or several for a sweep (one chart line each). */
  readonly clients: readonly number[];
  /** undefined: min(clients, 10). */
  readonly senders: number | undefined;
  /** Lines per second in total; for a sweep the first rate (undefined: 10,000 offered deliveries/s). */
  readonly rate: number | undefined;
  readonly durationMs: number;
  readonly workers: number;
  readonly sweep: boolean;
  /** Sweep output files: <out>.md and <out>.svg. */
  readonly out: string;
  readonly json: boolean;
}

export interface IdleOptions {
  readonly mode: 'idle';
  readonly relay: RelayChoice;
  readonly receive: ReceiveChoice;
  readonly transport: BenchTransport;
  readonly clients: number;
  readonly windowMs: number;
  readonly pingIntervalMs: number;
  readonly roomSize: number;
  readonly json: boolean;
}

/** `bench --multicast`: serverless LAN peers, no relay (bench/lan/lan-bench.ts). */
export interface LanBenchOptions {
  readonly mode: 'lan';
  readonly group: { readonly host: string; readonly port: number };
  /** One run per peer count, each on its own port (the group's port, then the next ones). */
  readonly peers: readonly number[];
  /** Lines per second in total, over all peers; undefined: 3 per peer (under LanPeer's own limit). */
  readonly rate: number | undefined;
  readonly durationMs: number;
  readonly workers: number;
  readonly json: boolean;
}

import type { HandshakeBenchOptions } from './handshake/handshake-bench.ts';

/** `bench --history-lines N`: the store at size, no traffic (bench/store/history-bench.ts). */
export interface HistoryBenchOptions {
  readonly mode: 'history';
  readonly lines: number;
  readonly json: boolean;
}

/**
 * `bench --failover N`: N SIGKILLs of a relay in a cluster the bench starts (redis-server and `relays`
 * relays), with `senders` talking and `idle` quiet v2 clients on the relay killed (bench/failover/).
 */
export interface FailoverBenchOptions {
  readonly mode: 'failover';
  readonly kills: number;
  readonly relays: number;
  readonly senders: number;
  readonly idle: number;
  readonly json: boolean;
}

export type BenchOptions =
  | TrafficOptions
  | IdleOptions
  | LanBenchOptions
  | HistoryBenchOptions
  | HandshakeBenchOptions
  | FailoverBenchOptions;

export const DEFAULTS = {
  clients: 10,
  maxDefaultSenders: 10,
  rate: 100,
  durationS: 10,
  windowS: 30,
  pingIntervalS: 10,
  roomSize: 20,
  out: 'bench-sweep',
  /** `--failover`: relays in the cluster, and clients on the relay killed (half of them talking). */
  failoverRelays: 2,
  failoverClients: 6,
} as const;
