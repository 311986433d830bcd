/**
 * The store bindings' timers (group commit, retries, retention), behind an interface so that tests drive
 * them with a manual clock instead of waiting.
 */
export type CancelTimer = () => void;

export interface Scheduler {
  /** Runs `run` once, `ms` from now (0: as soon as the current I/O callbacks are done). */
  after(ms: number, run: () => void): CancelTimer;
}

/**
 * Node's timers, unreferenced: a store's timer never keeps a process alive on its own (the relay's socket
 * does; `close()` commits what is waiting before a process ends).
 */
export const nodeScheduler: Scheduler = {
  after(ms, run) {
    if (ms <= 0) {
      const immediate = setImmediate(run);
      immediate.unref();
      return () => clearImmediate(immediate);
    }
    const timeout = setTimeout(run, ms);
    timeout.unref();
    return () => clearTimeout(timeout);
  },
};

/** The wall clock for line timestamps and retention by age, Unix ms. */
export type WallClock = () => number;

export const systemClock: WallClock = () => Date.now();
