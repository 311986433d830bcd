/**
 * Collects items as they arrive (stdout lines, datagrams) and lets a test await one that matches, with a
 * timeout: tests wait for the event itself, never for a fixed sleep.
 */

export type Match<T> = (item: T) => boolean;

export interface WaitOptions {
  /** Give up after this long; the error lists what did arrive. */
  readonly timeoutMs?: number;
  /** Only items at this index or later count (use `collector.items.length` to wait for a new one). */
  readonly from?: number;
  /** What is awaited, for the error message. */
  readonly what?: string;
}

export const DEFAULT_WAIT_MS = 5_000;

interface Waiter<T> {
  readonly match: Match<T>;
  readonly from: number;
  readonly resolve: (item: T) => void;
  readonly reject: (error: Error) => void;
}

export class Collector<T> {
  readonly items: T[] = [];
  private readonly waiters = new Set<Waiter<T>>();
  private readonly listeners: ((item: T) => void)[] = [];
  private endedBecause: string | null = null;

  constructor(private readonly name: string) {}

  /** Calls `listener` for every item from now on (for tests that measure when each item arrives). */
  onItem(listener: (item: T) => void): void {
    this.listeners.push(listener);
  }

  push(item: T): void {
    const index = this.items.push(item) - 1;
    for (const listener of this.listeners) listener(item);
    for (const waiter of [...this.waiters]) {
      if (index >= waiter.from && waiter.match(item)) {
        this.waiters.delete(waiter);
        waiter.resolve(item);
      }
    }
  }

  /** No more items will come (the process exited, the socket closed): pending waits fail at once. */
  end(reason: string): void {
    this.endedBecause = reason;
    for (const waiter of [...this.waiters]) {
      this.waiters.delete(waiter);
      waiter.reject(new Error(`${this.name}: ${reason} before a match arrived\n${this.describe()}`));
    }
  }

  /** Resolves with the first item (already collected or still to come) that matches. */
  waitFor(match: Match<T>, options: WaitOptions = {}): Promise<T> {
    const from = options.from ?? 0;
    const found = this.items.slice(from).find(match);
    if (found !== undefined) return Promise.resolve(found);
    if (this.endedBecause !== null) {
      return Promise.reject(new Error(`${this.name}: ${this.endedBecause}, no match\n${this.describe()}`));
    }
    return this.awaitNew(match, from, options);
  }

  private awaitNew(match: Match<T>, from: number, options: WaitOptions): Promise<T> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const what = options.what ?? 'a matching item';
        reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms\n${this.describe()}`));
      }, timeoutMs);
      const waiter: Waiter<T> = {
        match,
        from,
        resolve: (item) => {
          clearTimeout(timer);
          resolve(item);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** The last few items, for failure messages. */
  describe(last = 20): string {
    const shown = this.items.slice(-last).map((item) => `  ${JSON.stringify(item)}`);
    return `${this.name} so far (${this.items.length}):\n${shown.join('\n')}`;
  }
}
