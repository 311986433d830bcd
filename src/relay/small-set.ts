/**
 * A set for the handful of items a client holds (its rooms: usually one, at most MAX_ROOMS_PER_CLIENT).
 * A JavaScript Set carries a hash table sized for growth, and even a one-item array reserves 17 slots once
 * pushed to; with 100,000 clients that is megabytes for nothing. So the first item sits in a field and any
 * others in an array sized exactly, with Set's semantics: insertion order, no duplicates.
 */
export class SmallSet<T extends object> implements Iterable<T> {
  /** The oldest item; undefined only when the set is empty. */
  private head: T | undefined = undefined;
  /** The others, oldest first; undefined when there are none. */
  private rest: readonly T[] | undefined = undefined;

  get size(): number {
    if (this.head === undefined) return 0;
    return 1 + (this.rest?.length ?? 0);
  }

  has(item: T): boolean {
    return this.head === item || (this.rest?.includes(item) ?? false);
  }

  add(item: T): this {
    if (this.head === undefined) this.head = item;
    else if (!this.has(item)) this.rest = this.rest === undefined ? [item] : [...this.rest, item];
    return this;
  }

  delete(item: T): boolean {
    if (this.head === item) {
      this.head = this.rest?.[0];
      this.rest = this.without(0);
      return true;
    }
    const index = this.rest?.indexOf(item) ?? -1;
    if (index < 0) return false;
    this.rest = this.without(index);
    return true;
  }

  /**
   * Iterates a snapshot: adding or deleting while iterating neither skips nor repeats an item. (The
   * relay never does so today; this keeps it safe if it ever does.)
   */
  [Symbol.iterator](): Iterator<T> {
    if (this.head === undefined) return EMPTY.values();
    if (this.rest === undefined) return [this.head].values();
    return [this.head, ...this.rest].values();
  }

  /** `rest` without its item at `index`, or undefined if nothing would be left. */
  private without(index: number): readonly T[] | undefined {
    const rest = this.rest;
    if (rest === undefined || rest.length <= 1) return undefined;
    return rest.filter((_, i) => i !== index);
  }
}

const EMPTY: readonly never[] = [];
