/**
 * A binary min-heap of deadlines, at most one per item, that finds an item's place from a field the item
 * carries (`heapIndex`), so moving one deadline is O(log n) with no map look-up. The relay keeps one entry
 * per v2 session: the earliest of its channel's timer and its idle deadline (quinn-proto keeps timers as
 * data the same way, `poll_timeout`), so neither tick nor nextTimeout walks every session.
 */

/** The heap's bookkeeping inside each item: its position, or -1 when it has no deadline. */
export interface HeapSlot {
  heapIndex: number;
}

export class TimerHeap<T extends HeapSlot> {
  private readonly items: T[] = [];
  private readonly dues: number[] = [];

  get size(): number {
    return this.items.length;
  }

  /** The item with the earliest deadline, or undefined when empty. */
  get first(): T | undefined {
    return this.items[0];
  }

  /** The earliest deadline, or null when empty. */
  get earliest(): number | null {
    return this.dues[0] ?? null;
  }

  /** Sets (or moves) `item`'s deadline. */
  set(item: T, due: number): void {
    const index = item.heapIndex;
    if (index < 0) {
      this.items.push(item);
      this.dues.push(due);
      item.heapIndex = this.items.length - 1;
      this.up(item.heapIndex);
      return;
    }
    const before = this.dues[index] ?? due;
    if (due === before) return;
    this.dues[index] = due;
    if (due < before) this.up(index);
    else this.down(index);
  }

  /** Removes `item`'s deadline; nothing when it has none. */
  delete(item: T): void {
    const index = item.heapIndex;
    if (index < 0) return;
    item.heapIndex = -1;
    const lastItem = this.items.pop();
    const lastDue = this.dues.pop();
    if (index === this.items.length || lastItem === undefined || lastDue === undefined) return;
    const before = this.dues[index] ?? lastDue;
    this.place(index, lastItem, lastDue);
    if (lastDue < before) this.up(index);
    else this.down(index);
  }

  private up(start: number): void {
    const item = this.items[start];
    const due = this.dues[start];
    if (item === undefined || due === undefined) return;
    let index = start;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentDue = this.dues[parent] ?? due;
      if (parentDue <= due) break;
      this.place(index, this.items[parent] as T, parentDue);
      index = parent;
    }
    this.place(index, item, due);
  }

  private down(start: number): void {
    const item = this.items[start];
    const due = this.dues[start];
    if (item === undefined || due === undefined) return;
    const count = this.items.length;
    let index = start;
    // Each step moves a level down: at most log2(size) steps.
    for (let child = 2 * index + 1; child < count; child = 2 * index + 1) {
      const right = child + 1;
      if (right < count && (this.dues[right] ?? due) < (this.dues[child] ?? due)) child = right;
      const childDue = this.dues[child] ?? due;
      if (due <= childDue) break;
      this.place(index, this.items[child] as T, childDue);
      index = child;
    }
    this.place(index, item, due);
  }

  private place(index: number, item: T, due: number): void {
    this.items[index] = item;
    this.dues[index] = due;
    item.heapIndex = index;
  }
}
