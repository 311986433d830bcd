/**
 * A condition over the bench's own clients ("every client moved"), checked again after each event that
 * can change it (every handler pokes the signal), never on a timer; it gives up after a time limit.
 */
export class StateSignal {
  private readonly waiters = new Set<() => void>();

  /** Something a condition may depend on changed. */
  poke(): void {
    for (const check of [...this.waiters]) check();
  }

  /** Resolves true once `condition` holds, false if it still does not after `timeoutMs`. */
  until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const finish = (held: boolean): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(held);
      };
      const check = (): void => {
        if (condition()) finish(true);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.waiters.add(check);
    });
  }
}
