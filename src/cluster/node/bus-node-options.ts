/** What a relay's bus is made with, and the defaults of what it may leave out. */
import type { Scheduler } from '../../store/scheduler.ts';

export interface BusNodeOptions {
  readonly nodeId: string;
  /** A random token for this run of the relay (tells it from a restarted relay with the same id). */
  readonly instance: string;
  readonly scheduler: Scheduler;
  /** Unix ms. */
  readonly clock: () => number;
  /** Heartbeat TTL; heartbeats go every ttl / HEARTBEATS_PER_TTL. */
  readonly ttlMs?: number;
  /** Changes that may wait while the back end is away. */
  readonly maxPending?: number;
  /** How long one read of the event stream waits for an entry. */
  readonly readBlockMs?: number;
  /** The longest wait between two attempts to say hello again. */
  readonly maxRetryMs?: number;
  /**
   * Runs `run` once the current turn of the event loop is done (every I/O callback of this turn), so the
   * changes of one turn leave in one batch. Defaults to a microtask (the end of the current callback).
   */
  readonly endOfTurn?: (run: () => void) => void;
  /** The bus protocol version to announce (tests announce another to see the refusal). */
  readonly version?: number;
}

export const DEFAULT_MAX_PENDING = 65_536;
export const DEFAULT_READ_BLOCK_MS = 1_000;
export const FIRST_RETRY_MS = 100;
export const DEFAULT_MAX_RETRY_MS = 5_000;
