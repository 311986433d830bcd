/**
 * A latency histogram in whole microseconds with bounded relative error (the HDR histogram idea): values
 * below 128 µs have a bucket each; above, every power of two is split into 64 buckets, so a reported value
 * is within 1/64 (1.6 %) of the true one. A receiver may see hundreds of thousands of deliveries a second;
 * keeping one counter per bucket instead of one number per delivery keeps memory fixed and merging cheap.
 */

/** Values below this are exact. */
const LINEAR_LIMIT = 128;
/** Buckets per power of two above LINEAR_LIMIT (the mantissa keeps 6 bits). */
const SUB_BUCKET_BITS = 6;
const SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
/** 2^40 µs is about 12 days: anything larger is clamped (no one-way latency is that long). */
const MAX_EXPONENT = 40;
const MAX_VALUE = 2 ** MAX_EXPONENT - 1;
const BUCKET_COUNT = LINEAR_LIMIT + (MAX_EXPONENT - SUB_BUCKET_BITS - 1) * SUB_BUCKETS;

/** [bucket index, count] pairs of the non-empty buckets: the compact form sent between processes. */
export type SparseCounts = ReadonlyArray<readonly [number, number]>;

export function bucketOf(valueUs: number): number {
  const v = Math.min(MAX_VALUE, Math.max(0, Math.floor(valueUs)));
  if (v < LINEAR_LIMIT) return v;
  // The common case (under 35 minutes) in 32-bit integer arithmetic: exact, and no Math.log2/pow per
  // delivery on the generator's hot path.
  if (v <= 0x7fffffff) {
    const integerShift = 31 - Math.clz32(v) - SUB_BUCKET_BITS;
    return bucketIndex(integerShift, v >>> integerShift);
  }
  const shift = Math.floor(Math.log2(v)) - SUB_BUCKET_BITS;
  const mantissa = Math.floor(v / 2 ** shift);
  // Guards against log2 rounding at exact powers of two.
  if (mantissa >= 2 * SUB_BUCKETS) return bucketIndex(shift + 1, Math.floor(v / 2 ** (shift + 1)));
  if (mantissa < SUB_BUCKETS) return bucketIndex(shift - 1, Math.floor(v / 2 ** (shift - 1)));
  return bucketIndex(shift, mantissa);
}

function bucketIndex(shift: number, mantissa: number): number {
  return LINEAR_LIMIT + (shift - 1) * SUB_BUCKETS + (mantissa - SUB_BUCKETS);
}

/** The largest value that falls into this bucket (so a percentile is never under-reported). */
export function bucketUpperBound(index: number): number {
  if (index < LINEAR_LIMIT) return index;
  const offset = index - LINEAR_LIMIT;
  const shift = Math.floor(offset / SUB_BUCKETS) + 1;
  const mantissa = (offset % SUB_BUCKETS) + SUB_BUCKETS;
  return (mantissa + 1) * 2 ** shift - 1;
}

export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKET_COUNT);
  private total = 0;
  private maximum = 0;

  get count(): number {
    return this.total;
  }

  /** The largest value recorded, exactly (0 when empty). */
  get max(): number {
    return this.maximum;
  }

  record(valueUs: number): void {
    const index = bucketOf(valueUs);
    this.counts[index] = (this.counts[index] ?? 0) + 1;
    this.total++;
    if (valueUs > this.maximum) this.maximum = valueUs;
  }

  /**
   * The nearest-rank percentile: the smallest bucket bound at or below which at least p % of the values
   * lie, capped at the exact maximum. undefined when nothing was recorded.
   */
  percentile(p: number): number | undefined {
    if (this.total === 0) return undefined;
    const rank = Math.max(1, Math.ceil((Math.min(100, Math.max(0, p)) / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < BUCKET_COUNT; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= rank) return Math.min(bucketUpperBound(i), this.maximum);
    }
    return this.maximum;
  }

  toSparse(): SparseCounts {
    const pairs: [number, number][] = [];
    for (let i = 0; i < BUCKET_COUNT; i++) {
      const c = this.counts[i] ?? 0;
      if (c > 0) pairs.push([i, c]);
    }
    return pairs;
  }

  /** Adds another histogram's counts (sent as sparse pairs) and its maximum. */
  mergeSparse(pairs: SparseCounts, max: number): void {
    for (const [index, count] of pairs) {
      if (index < 0 || index >= BUCKET_COUNT) continue;
      this.counts[index] = (this.counts[index] ?? 0) + count;
      this.total += count;
    }
    if (max > this.maximum) this.maximum = max;
  }
}
