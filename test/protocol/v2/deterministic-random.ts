/** A reproducible RandomSource for tests: SHA-256 in counter mode over a seed (never for production). */
import { createHash } from 'node:crypto';
import type { RandomSource } from '../../../src/protocol/v2/crypto.ts';

export interface CountingRandom {
  readonly random: RandomSource;
  /** How many times the source was drawn from. */
  readonly calls: () => number;
}

export function deterministicRandom(seed: string): CountingRandom {
  let counter = 0;
  let calls = 0;
  const random: RandomSource = (count: number): Uint8Array => {
    calls++;
    const out = new Uint8Array(count);
    for (let filled = 0; filled < count; filled += 32) {
      const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      out.set(block.subarray(0, Math.min(32, count - filled)), filled);
    }
    return out;
  };
  return { random, calls: () => calls };
}

/** `count` bytes all equal to `value`: readable fixed ids in layout tests. */
export function filled(count: number, value: number): Uint8Array {
  return new Uint8Array(count).fill(value);
}
