/**
 * The fault model of `udpchat chaos --tcp`, pure. A byte stream cannot lose, duplicate or reorder what it
 * carries: TCP repairs all of that below the application, and what the application sees of a lossy path is
 * time. So each chunk read from one side is delivered to the other after the base delay plus jitter, never
 * before an earlier chunk (the stream's order holds), and with probability `stall` it is held back by
 * `stallMs` first, as a lost segment holds everything behind it until its retransmission (Linux's minimum
 * retransmission timeout is 200 ms, RFC 6298 section 2.4 allows 1 s): head-of-line blocking.
 */
import type { RandomSource } from './prng.ts';

export interface StreamFaultSettings {
  readonly delayMs: number;
  readonly jitterMs: number;
  /** Probability in [0, 1] that a chunk waits `stallMs` before it may go. */
  readonly stall: number;
  readonly stallMs: number;
}

/** When a chunk read at `now` may be written, given when the previous chunk of its direction goes. */
export function deliveryTime(
  settings: StreamFaultSettings,
  random: RandomSource,
  now: number,
  previousAt: number,
): { readonly at: number; readonly stalled: boolean } {
  const offset = (random() * 2 - 1) * settings.jitterMs;
  const stalled = random() < settings.stall;
  const at = now + Math.max(0, settings.delayMs + offset) + (stalled ? settings.stallMs : 0);
  return { at: Math.max(at, previousAt), stalled };
}
