/**
 * The bindings' one-shot timer, injected beside the Clock: the cores say when they next need to run
 * (timers are data), and the binding arms one of these for that moment.
 */

/** Cancels the timer; harmless after it fired or was cancelled. */
export type CancelTimer = () => void;

/** Runs `callback` once, about `delayMs` from now (never synchronously). */
export type TimerScheduler = (delayMs: number, callback: () => void) => CancelTimer;

/** setTimeout on the event loop. */
export const systemTimers: TimerScheduler = (delayMs, callback) => {
  const timer = setTimeout(callback, delayMs);
  return () => clearTimeout(timer);
};
