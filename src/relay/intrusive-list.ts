/**
 * A doubly linked list threaded through its items' own `prev`/`next` fields. The relay keeps its sessions
 * in activity order with one: moving a session to the young end is O(1) and costs two fields per session,
 * where a Set would add a hash-table entry per session and rebuild its table as deletions pile up.
 */
export interface ListLinks<T> {
  prev: T | undefined;
  next: T | undefined;
}

export class IntrusiveList<T extends ListLinks<T>> implements Iterable<T> {
  private head: T | undefined = undefined;
  private tail: T | undefined = undefined;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The oldest item (the first pushed and not moved since), or undefined when empty. */
  get first(): T | undefined {
    return this.head;
  }

  /** Whether `item` is in this list; items must belong to one list at most. */
  has(item: T): boolean {
    return item.prev !== undefined || this.head === item;
  }

  /** Appends `item`, which must not be in the list. */
  push(item: T): void {
    item.prev = this.tail;
    item.next = undefined;
    if (this.tail === undefined) this.head = item;
    else this.tail.next = item;
    this.tail = item;
    this.count++;
  }

  /** Unlinks `item`; false when it was not in the list. */
  remove(item: T): boolean {
    if (!this.has(item)) return false;
    if (item.prev === undefined) this.head = item.next;
    else item.prev.next = item.next;
    if (item.next === undefined) this.tail = item.prev;
    else item.next.prev = item.prev;
    item.prev = undefined;
    item.next = undefined;
    this.count--;
    return true;
  }

  /** Moves `item` (in the list) to the end. */
  moveToEnd(item: T): void {
    if (this.tail === item) return;
    this.remove(item);
    this.push(item);
  }

  /**
   * Oldest first. Removing or moving the item just returned is allowed (the next one was read before);
   * an item moved to the end is met again.
   */
  *values(): Generator<T, void, undefined> {
    let item = this.head;
    while (item !== undefined) {
      const next = item.next;
      yield item;
      item = next;
    }
  }

  [Symbol.iterator](): Iterator<T> {
    return this.values();
  }
}
