/**
 * Waits for a condition over what several collectors have gathered (e.g. "every line arrived"): it is
 * checked at once and again after each new item, never on a timer, and gives up after `timeoutMs`.
 */
import { type Collector, DEFAULT_WAIT_MS } from './collector.ts';

export interface UntilOptions {
  readonly timeoutMs?: number;
  /** What is awaited and how far it got, for the error message. */
  readonly describe: () => string;
}

export function waitUntil(
  condition: () => boolean,
  sources: readonly Collector<string>[],
  options: UntilOptions,
): Promise<void> {
  if (condition()) return Promise.resolve();
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(new Error(`not within ${timeoutMs} ms: ${options.describe()}`));
    }, timeoutMs);
    const check = (): void => {
      if (settled || !condition()) return;
      settled = true;
      clearTimeout(timer);
      resolve();
    };
    for (const source of sources) source.onItem(check);
  });
}
