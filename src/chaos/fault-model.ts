/**
 * The fault model of `udpchat chaos`, pure: given the settings and a random source it decides the fate of
 * one datagram. Nothing here touches a socket or a clock; the proxy only schedules what this returns.
 *
 * Per datagram, in this order (each draw independent):
 *  1. loss: with probability `loss` the datagram is dropped, duplicates included.
 *  2. duplication: with probability `duplicate` a second copy is sent; each copy then gets its own delay
 *     and its own reorder draw, so the two copies may arrive far apart or swapped.
 *  3. delay: `delayMs` plus a uniform offset in [-jitterMs, +jitterMs], never below 0 ms.
 *  4. reordering: with probability `reorder` the copy is held back by an extra `reorderHoldMs`. Because
 *     every other datagram's delay lies within 2 * jitter of this one's, a held copy is overtaken by every
 *     datagram sent up to `reorderHoldMs - 2 * jitterMs` after it (the default hold makes that 50 ms).
 *     Jitter alone also reorders datagrams sent closer together than 2 * jitter; only the hold is counted.
 */
import type { RandomSource } from './prng.ts';

export interface FaultSettings {
  /** Probabilities in [0, 1]. */
  readonly loss: number;
  readonly duplicate: number;
  readonly reorder: number;
  /** Milliseconds, all >= 0. */
  readonly delayMs: number;
  readonly jitterMs: number;
  readonly reorderHoldMs: number;
}

/** One copy to send, `delayMs` after the datagram arrived. */
export interface Delivery {
  readonly delayMs: number;
  readonly reordered: boolean;
}

export type FaultDecision =
  | { readonly dropped: true }
  | { readonly dropped: false; readonly deliveries: readonly Delivery[] };

export const NO_FAULTS: FaultSettings = {
  loss: 0,
  duplicate: 0,
  reorder: 0,
  delayMs: 0,
  jitterMs: 0,
  reorderHoldMs: 0,
};

export function decideFaults(settings: FaultSettings, random: RandomSource): FaultDecision {
  if (happens(settings.loss, random)) return { dropped: true };
  const copies = happens(settings.duplicate, random) ? 2 : 1;
  const deliveries: Delivery[] = [];
  for (let i = 0; i < copies; i++) deliveries.push(planDelivery(settings, random));
  return { dropped: false, deliveries };
}

function planDelivery(settings: FaultSettings, random: RandomSource): Delivery {
  const offset = (random() * 2 - 1) * settings.jitterMs;
  const base = Math.max(0, settings.delayMs + offset);
  const reordered = happens(settings.reorder, random);
  return { delayMs: reordered ? base + settings.reorderHoldMs : base, reordered };
}

/** random() is in [0, 1): probability 0 never happens, probability 1 always does. */
function happens(probability: number, random: RandomSource): boolean {
  return random() < probability;
}
