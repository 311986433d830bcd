/** How much history a store keeps (`--history-max-lines`, `--history-max-age`). */
import { DEFAULT_HISTORY_MAX_AGE_MS, DEFAULT_HISTORY_MAX_LINES } from '../relay/store.ts';

export interface Retention {
  /** Lines kept per room and per private conversation. */
  readonly maxLines: number;
  /** Lines older than this many ms are pruned; Infinity keeps them. */
  readonly maxAgeMs: number;
}

export function resolveRetention(options: Partial<Retention> = {}): Retention {
  const retention = {
    maxLines: options.maxLines ?? DEFAULT_HISTORY_MAX_LINES,
    maxAgeMs: options.maxAgeMs ?? DEFAULT_HISTORY_MAX_AGE_MS,
  };
  if (!Number.isInteger(retention.maxLines) || retention.maxLines < 1)
    throw new RangeError(`history max lines must be a whole number of at least 1, got ${retention.maxLines}`);
  if (!(retention.maxAgeMs > 0))
    throw new RangeError(`history max age must be positive, got ${retention.maxAgeMs}`);
  return retention;
}
