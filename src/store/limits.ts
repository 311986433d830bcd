/**
 * The store bindings' own settings: how writes are grouped into commits, how failures are retried and
 * how retention is paced. (What the core needs, the history caps and retention defaults, and the bound
 * on uncommitted lines, are in relay/store.ts.)
 */

/**
 * Group commit: waiting writes are committed this long after the first of them, or as soon as this many
 * are waiting, whichever comes first. 5 ms adds little to a v2 acknowledgement; 256 lines make one
 * transaction cheap per line.
 */
export const DEFAULT_COMMIT_DELAY_MS = 5;
export const DEFAULT_COMMIT_BATCH = 256;
/** One transaction commits at most this many writes, so a backlog after a failure is worked off in steps. */
export const MAX_COMMIT_CHUNK = 4_096;
/** A failed commit is retried after 50 ms, then twice as long each time, up to 5 s. */
export const COMMIT_RETRY_MIN_MS = 50;
export const COMMIT_RETRY_MAX_MS = 5_000;

/** Retention runs every second and removes at most this many lines in one transaction. */
export const DEFAULT_PRUNE_INTERVAL_MS = 1_000;
export const PRUNE_BATCH = 500;
/** When a prune step had more to do than its batch, the next one runs this soon. */
export const PRUNE_CATCH_UP_MS = 10;

/** Without a database, history in memory holds at most this many lines in all rooms together. */
export const DEFAULT_MEMORY_TOTAL_LINES = 100_000;

/** How long opening a database waits for another process's lock before it says the file is in use. */
export const DEFAULT_LOCK_TIMEOUT_MS = 100;
