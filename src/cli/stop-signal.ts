/**
 * How the long-running subcommands (relay, chaos, top) stop: at the first SIGINT or SIGTERM they close
 * what they hold, and the process exits by a deadline even if closing hangs.
 */

/**
 * The hard stop after a signal: the relay's shutdown issue allows 2 s from the signal to the exit, and its
 * goodbye (SHUTDOWN_GRACE_MS) fits well inside.
 */
export const EXIT_DEADLINE_MS = 1_800;

/**
 * A controller aborted by the first SIGINT or SIGTERM (its reason is the signal's name), after which the
 * process exits with status 0 within EXIT_DEADLINE_MS. Install it synchronously after the line a script
 * waits for (`relay listening on ...`): a script may signal as soon as it reads that line. The command may
 * also abort it itself (a key, a closed pipe); only a signal arms the deadline.
 */
export function stopOnSignals(): AbortController {
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals): void => {
    setTimeout(() => process.exit(0), EXIT_DEADLINE_MS).unref();
    controller.abort(signal);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return controller;
}

/** Resolves when `signal` is aborted (at once if it already is). */
export function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
