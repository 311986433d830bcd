/** Errors a store throws when it opens, flushes or closes: a code to act on and one line for a person. */
import type { StoreErrorCode } from '../relay/store.ts';

export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    readonly code: StoreErrorCode,
    /** The database file, or null for a store without one. */
    readonly path: string | null,
    readonly problem: string,
  ) {
    super(path === null ? problem : `database ${path}: ${problem}`);
  }
}
