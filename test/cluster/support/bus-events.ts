/**
 * A ClusterListener that keeps what it hears, so a test can await an event or a state with a timeout
 * (checked at once and again on each new item, never on a timer).
 */
import type {
  ClusterEvent,
  ClusterFailure,
  ClusterListener,
  ClusterStatus,
} from '../../../src/relay/cluster-bus.ts';

const WAIT_MS = 10_000;

export class BusEvents implements ClusterListener {
  readonly events: ClusterEvent[] = [];
  readonly statuses: ClusterStatus[] = [];
  readonly failures: ClusterFailure[] = [];
  private readonly checks = new Set<() => void>();

  event(event: ClusterEvent): void {
    this.events.push(event);
    this.notify();
  }

  status(status: ClusterStatus): void {
    this.statuses.push(status);
    this.notify();
  }

  fatal(failure: ClusterFailure): void {
    this.failures.push(failure);
    this.notify();
  }

  private notify(): void {
    for (const check of [...this.checks]) check();
  }

  of<T extends ClusterEvent['type']>(type: T): Extract<ClusterEvent, { type: T }>[] {
    return this.events.filter((event): event is Extract<ClusterEvent, { type: T }> => event.type === type);
  }

  /** Resolves when `condition` holds; rejects after `timeoutMs` saying what was awaited. */
  until(condition: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (!condition()) return;
        this.checks.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.checks.delete(check);
        reject(new Error(`not within ${timeoutMs} ms: ${what} (${this.events.length} events heard)`));
      }, timeoutMs);
      this.checks.add(check);
    });
  }

  untilState(state: ClusterStatus['state'], timeoutMs = WAIT_MS): Promise<void> {
    return this.until(() => this.statuses.at(-1)?.state === state, `state ${state}`, timeoutMs);
  }
}
