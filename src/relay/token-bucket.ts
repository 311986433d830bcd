/**
 * Token buckets: the relay's one rate-limiting mechanism (flood control, join and nick limits, replies to
 * unjoined addresses, failed logins). IRC's lesson: throttle, don't kick. A rate of 0 means "no limit".
 */
export interface RateLimit {
  /** Tokens available at once. */
  readonly burst: number;
  /** Tokens added per second; 0 turns the limit off. */
  readonly perSecond: number;
}

/** A burst or a rate of 0 means "no limit" (benchmarks need that). */
export function isUnlimited(limit: RateLimit): boolean {
  return limit.perSecond <= 0 || limit.burst <= 0;
}

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly limit: RateLimit,
    now: number,
  ) {
    this.tokens = limit.burst;
    this.updatedAt = now;
  }

  /** Takes one token at `now` (ms); false when the bucket is empty. */
  take(now: number): boolean {
    if (isUnlimited(this.limit)) return true;
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** True when a token is available, without taking it. */
  peek(now: number): boolean {
    if (isUnlimited(this.limit)) return true;
    this.refill(now);
    return this.tokens >= 1;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.limit.burst, this.tokens + (elapsed / 1000) * this.limit.perSecond);
    this.updatedAt = now;
  }
}

/** With no limit every user may share one bucket: an unlimited bucket keeps no state. */
const UNLIMITED = new TokenBucket({ burst: 0, perSecond: 0 }, 0);

/** A full bucket for `limit` from `now`, or the shared one when `limit` is no limit. */
export function bucketFor(limit: RateLimit, now: number): TokenBucket {
  return isUnlimited(limit) ? UNLIMITED : new TokenBucket(limit, now);
}

/**
 * One bucket per key (a source address or host), remembering at most `tracked` keys: the least recently
 * used is forgotten first, so a flood of forged sources cannot grow the relay's memory.
 */
export class KeyedTokenBuckets {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly tracked: number,
  ) {}

  take(key: string, now: number): boolean {
    if (isUnlimited(this.limit)) return true;
    return this.bucket(key, now).take(now);
  }

  peek(key: string, now: number): boolean {
    if (isUnlimited(this.limit)) return true;
    return this.bucket(key, now).peek(now);
  }

  private bucket(key: string, now: number): TokenBucket {
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= this.tracked) this.forgetOldest();
      bucket = new TokenBucket(this.limit, now);
    } else {
      this.buckets.delete(key); // re-inserted below: Map order doubles as LRU order
    }
    this.buckets.set(key, bucket);
    return bucket;
  }

  private forgetOldest(): void {
    const oldest = this.buckets.keys().next();
    if (!oldest.done) this.buckets.delete(oldest.value);
  }
}
