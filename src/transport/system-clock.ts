/**
 * Time for the bindings. The cores take `now` as a number; a binding reads it from a Clock, which is
 * injected so a simulation can run hours of protocol in milliseconds on one fake clock.
 */
import { performance } from 'node:perf_hooks';

/** Milliseconds on a monotonic scale; only differences mean anything. */
export type Clock = () => number;

/** performance.now: wall-clock changes (NTP steps, a user setting the date) do not move it. */
export const systemClock: Clock = (): number => performance.now();
