/**
 * The chaos proxy's NAT table: one entry per client address, closed after it has been idle for the
 * mapping timeout, and capped so a flood of source addresses cannot exhaust sockets. Pure: the caller
 * passes `now` and closes what `expire` hands back.
 */
export interface MappingTableLimits {
  readonly idleTimeoutMs: number;
  readonly capacity: number;
}

interface Entry<T> {
  readonly value: T;
  /** The mapping is in use until this time (later than "last seen" while delayed copies are pending). */
  busyUntil: number;
}

export class MappingTable<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly limits: MappingTableLimits) {}

  get size(): number {
    return this.entries.size;
  }

  get full(): boolean {
    return this.entries.size >= this.limits.capacity;
  }

  get(key: string): T | undefined {
    return this.entries.get(key)?.value;
  }

  /** Adds a mapping unless the table is full; returns whether it was added. */
  add(key: string, value: T, now: number): boolean {
    if (this.full) return false;
    this.entries.set(key, { value, busyUntil: now });
    return true;
  }

  /** Keeps a mapping alive at least until `until` (never shortens it). */
  touch(key: string, until: number): void {
    const entry = this.entries.get(key);
    if (entry !== undefined && until > entry.busyUntil) entry.busyUntil = until;
  }

  remove(key: string): T | undefined {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    return entry?.value;
  }

  /** Removes and returns every mapping idle for the whole timeout at `now`. */
  expire(now: number): T[] {
    const expired: T[] = [];
    for (const [key, entry] of this.entries) {
      if (entry.busyUntil + this.limits.idleTimeoutMs <= now) {
        this.entries.delete(key);
        expired.push(entry.value);
      }
    }
    return expired;
  }

  /** When the next mapping can expire, or undefined when the table is empty. */
  nextExpiryAt(): number | undefined {
    let earliest: number | undefined;
    for (const entry of this.entries.values()) {
      const at = entry.busyUntil + this.limits.idleTimeoutMs;
      if (earliest === undefined || at < earliest) earliest = at;
    }
    return earliest;
  }

  /** Removes and returns every mapping (shutdown). */
  clear(): T[] {
    const all = [...this.entries.values()].map((entry) => entry.value);
    this.entries.clear();
    return all;
  }
}
