/** Collects items as they happen and lets a test await the n-th one, with a timeout instead of a sleep. */
export class Recorder<T> {
  readonly items: T[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(private readonly timeoutMs = 3_000) {}

  push(item: T): void {
    this.items.push(item);
    for (const check of [...this.waiters]) check();
  }

  /** The items `accept` picks, in the order they happened. */
  matching(accept: (item: T) => boolean): T[] {
    return this.items.filter(accept);
  }

  /** Resolves once `count` items that `accept` picks have happened; rejects after the timeout. */
  waitFor(count: number, what: string, accept: (item: T) => boolean = () => true): Promise<void> {
    return new Promise((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      const check = (): void => {
        if (this.matching(accept).length < count) return;
        finish();
        resolve();
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out waiting for ${count} ${what}; got ${this.matching(accept).length}`));
      }, this.timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
}
