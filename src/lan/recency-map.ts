/**
 * A Map that remembers at most `capacity` keys, forgetting the least recently used first (Map order
 * doubles as recency order, as KeyedTokenBuckets in ../relay/token-bucket.ts). What the LAN learns from
 * the network is kept in these, so a flood of forged sender ids cannot grow memory past the bound.
 */
export class RecencyMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** The value, without making the key more recent. */
  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  /** The value, made the most recent. */
  use(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Stores `value` as the most recent, forgetting the least recent key if the map is full. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.capacity) this.forgetOldest();
    this.entries.set(key, value);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  private forgetOldest(): void {
    const oldest = this.entries.keys().next();
    if (!oldest.done) this.entries.delete(oldest.value);
  }
}
