/**
 * A small seeded pseudo-random generator for the chaos proxy's fault decisions. mulberry32 (Tommy Ettinger,
 * public domain): 32 bits of state, period 2^32, good enough equidistribution for dropping datagrams, and
 * trivially reproducible from `--seed`. Not for anything that must be unpredictable.
 */

/** Returns a number uniformly distributed in [0, 1), like Math.random. */
export type RandomSource = () => number;

/** Seeds are unsigned 32-bit integers (`--seed 0` .. `--seed 4294967295`). */
export const MAX_SEED = 0xffff_ffff;

export function mulberry32(seed: number): RandomSource {
  let state = seed >>> 0;
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/**
 * Derives an independent-looking seed for a second stream (e.g. the other direction) from one user seed, so
 * each direction's decisions depend only on its own datagram sequence, not on how the two interleave.
 */
export function deriveSeed(seed: number, stream: number): number {
  return Math.floor(mulberry32((seed ^ Math.imul(stream + 1, 0x9e37_79b9)) >>> 0)() * 0x1_0000_0000) >>> 0;
}
