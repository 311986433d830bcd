/**
 * The session's jitter draws numbers in [0, 1); the v2 layer draws bytes. One injected byte source serves
 * both, so a binding (or a simulation) hands the client a single RandomSource.
 */
import { drawRandom, type RandomSource } from '../protocol/v2/crypto.ts';

/** 48 bits per draw: every value is exact in a double, and 2^-48 is finer than any jitter needs. */
const FRACTION_BYTES = 6;
const FRACTION_SPAN = 2 ** (8 * FRACTION_BYTES);

/** Numbers uniformly distributed in [0, 1), drawn from `random`. */
export function fractionSource(random: RandomSource): () => number {
  return (): number => {
    const bytes = drawRandom(random, FRACTION_BYTES);
    let value = 0;
    for (const byte of bytes) value = value * 256 + byte;
    return value / FRACTION_SPAN;
  };
}
