/**
 * A set for the handful of items a client holds (its rooms: usually one, at most MAX_ROOMS_PER_CLIENT).
 * A JavaScript Set carries a hash table sized for growth; with 100,000 clients that is megabytes for
 * nothing, so this keeps the items in a plain array with Set's semantics (insertion order, no duplicates).
 */
export class SmallSet<T> implements Iterable<T> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  has(item: T): boolean {
    return this.items.includes(item);
  }

  add(item: T): this {
    if (!this.items.includes(item)) this.items.push(item);
    return this;
  }

  delete(item: T): boolean {
    const index = this.items.indexOf(item);
    if (index < 0) return false;
    this.items.splice(index, 1);
    return true;
  }

  [Symbol.iterator](): Iterator<T> {
    return this.items[Symbol.iterator]();
  }
}
