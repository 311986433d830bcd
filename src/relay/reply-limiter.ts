/**
 * A token bucket per source address for replies to addresses that have not joined. v1 cannot prove that a
 * source address is real, so anything we say to an unjoined address may be aimed at a victim; bounding it
 * keeps the relay from being a reflector and stops two relays from answering each other forever.
 */
export interface ReplyLimiterOptions {
  readonly burst: number;
  readonly perSecond: number;
  /** How many addresses are remembered; the least recently used is forgotten first. */
  readonly tracked: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class ReplyLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly options: ReplyLimiterOptions) {}

  /** Takes one token for `key` at time `now` (ms); false means "do not reply". */
  allow(key: string, now: number): boolean {
    const bucket = this.refill(key, now);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  private refill(key: string, now: number): Bucket {
    const { burst, perSecond, tracked } = this.options;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: burst, updatedAt: now };
      if (this.buckets.size >= tracked) this.forgetOldest();
    } else {
      this.buckets.delete(key); // re-inserted below: Map order doubles as LRU order
      const elapsed = Math.max(0, now - bucket.updatedAt);
      bucket.tokens = Math.min(burst, bucket.tokens + (elapsed / 1000) * perSecond);
      bucket.updatedAt = now;
    }
    this.buckets.set(key, bucket);
    return bucket;
  }

  private forgetOldest(): void {
    const oldest = this.buckets.keys().next();
    if (!oldest.done) this.buckets.delete(oldest.value);
  }
}
