/**
 * The messages between the bench coordinator and its worker processes (over the child-process IPC
 * channel, as JSON). Each request is answered by exactly one reply with the same `id`.
 */
import type { ReceiptSummary } from './model/receipts.ts';

export interface WorkerSetup {
  readonly relayHost: string;
  readonly relayPort: number;
  /** Global index of the first client; nicks and source addresses follow from it (see plan.ts). */
  readonly firstClient: number;
  readonly clientCount: number;
  /** Clients per source address (127.0.0.2, 127.0.0.3, ...). */
  readonly perAddress: number;
  /** Bind 127.0.0.x (relay on loopback) or the wildcard address. */
  readonly loopback: boolean;
  /** Parked clients join a room of this size and leave #lobby; 0 keeps them all in #lobby. */
  readonly idleRoomSize: number;
  /** Every client pings this often (spread evenly), so the relay never evicts a quiet one. */
  readonly pingIntervalMs: number;
  /** Joins in flight at once per worker. */
  readonly joinWindow: number;
  /** SO_RCVBUF of each client socket; 0 keeps the system default. */
  readonly recvBufferSize: number;
  /** How the worker reads its sockets: the addon's recvmmsg, or node:dgram. */
  readonly receive: GeneratorReceive;
  /** What the clients speak: v1 datagrams (the default), protected v2, v1 lines over TCP, or over WebSocket. */
  readonly transport: BenchTransport;
}

/**
 * `--transport`: the relay's UDP port (v1 datagrams, or `v2`: protected v2 sessions on the same port), its
 * --tcp-port, or its --web WebSocket.
 */
export type BenchTransport = 'udp' | 'v2' | 'tcp' | 'ws';

/** The generator's receive path, as resolved from --receive (see worker-setup.ts). */
export type GeneratorReceive = 'native' | 'node';

export interface StepPlan {
  readonly step: number;
  /** The shared monotonic clock's origin for this run (process.hrtime.bigint() as a decimal string). */
  readonly epochNs: string;
  /** When sending starts, in µs after the epoch. */
  readonly startUs: number;
  readonly durationMs: number;
  /** This worker's share of the line rate. */
  readonly linesPerSecond: number;
  /** Global id of this worker's first sender; its senders are its first `senderCount` clients. */
  readonly firstSender: number;
  readonly senderCount: number;
  /** Senders in the whole run and the most lines any of them sends: the receipt book's shape. */
  readonly totalSenders: number;
  readonly maxSeq: number;
}

export type WorkerRequest =
  | { readonly id: number; readonly type: 'setup'; readonly setup: WorkerSetup }
  | { readonly id: number; readonly type: 'join' }
  | { readonly id: number; readonly type: 'counters' }
  | { readonly id: number; readonly type: 'step'; readonly plan: StepPlan }
  | { readonly id: number; readonly type: 'collect' }
  | { readonly id: number; readonly type: 'leave' };

export interface JoinReply {
  readonly joined: number;
  readonly failed: number;
}

export interface WorkerCounters {
  readonly datagramsIn: number;
  readonly pingsSent: number;
  readonly pongsReceived: number;
  readonly sendErrors: number;
  /** process.cpuUsage() user + system, µs since the worker started. */
  readonly cpuUs: number;
}

export interface SendReport {
  readonly linesSent: number;
  readonly linesPlanned: number;
  readonly maxLagUs: number;
  readonly sendErrors: number;
}

export interface CollectReport {
  readonly receipts: ReceiptSummary;
  /** Bench lines of another step that arrived during this one (stragglers). */
  readonly stray: number;
}

export type WorkerReplyBody =
  | { readonly type: 'ok' }
  | { readonly type: 'joined'; readonly result: JoinReply }
  | { readonly type: 'counters'; readonly counters: WorkerCounters }
  | { readonly type: 'sent'; readonly report: SendReport }
  | { readonly type: 'collected'; readonly report: CollectReport }
  | { readonly type: 'error'; readonly message: string };

export type WorkerReply = WorkerReplyBody & { readonly id: number };
