/** What the LAN bench's coordinator and its worker processes say to each other over the IPC channel. */
import type { SparseCounts } from '../model/histogram.ts';

export interface LanWorkerSetup {
  readonly groupHost: string;
  readonly groupPort: number;
  /** This worker's peers are named `p<first>` ... `p<first + count - 1>`. */
  readonly first: number;
  readonly count: number;
}

export type LanWorkerRequest =
  | { readonly type: 'setup'; readonly setup: LanWorkerSetup }
  /** Resolves once each of this worker's peers has heard `peers - 1` others, or the wait runs out. */
  | { readonly type: 'await-presence'; readonly peers: number; readonly timeoutMs: number }
  /** This worker's CPU time over `durationMs` of chat with no lines (announcements and timers only). */
  | { readonly type: 'idle'; readonly durationMs: number }
  | { readonly type: 'send'; readonly linesPerPeerPerSecond: number; readonly durationMs: number }
  | { readonly type: 'collect' };

export interface LanWorkerResult {
  readonly sent: number;
  /** Lines LanPeer refused to send (its flood control: 10 at once, then 4 a second). */
  readonly refused: number;
  readonly received: number;
  readonly lost: number;
  readonly duplicates: number;
  /** Datagrams dropped by receivers' inbound limits. */
  readonly throttled: number;
  /** One-way latency of each received line, in µs. */
  readonly latency: SparseCounts;
  readonly latencyMax: number;
  /** User + system CPU of this worker from the start of sending to the collect, in µs. */
  readonly cpuUs: number;
  /** How long that was, in ms. */
  readonly elapsedMs: number;
}

export type LanWorkerReply =
  | { readonly type: 'ok' }
  | { readonly type: 'present'; readonly heard: number }
  | { readonly type: 'idle'; readonly cpuUs: number; readonly elapsedMs: number }
  | { readonly type: 'result'; readonly result: LanWorkerResult }
  | { readonly type: 'error'; readonly message: string };
