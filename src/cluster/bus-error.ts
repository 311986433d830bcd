/** A bus failure as a thrown value: the code and the one-line message of a ClusterFailure. */
import type { ClusterErrorCode, ClusterFailure } from '../relay/cluster-bus.ts';

export class ClusterError extends Error implements ClusterFailure {
  readonly code: ClusterErrorCode;

  constructor(code: ClusterErrorCode, message: string) {
    super(message);
    this.name = 'ClusterError';
    this.code = code;
  }
}

/** Errors the bus waits out and retries; every other code is fatal. */
export function isTransient(error: unknown): boolean {
  return !(error instanceof ClusterError) || error.code === 'unavailable' || error.code === 'expired';
}

/** Any thrown value as a ClusterFailure (an unknown one counts as the back end being away). */
export function asFailure(error: unknown): ClusterFailure {
  if (error instanceof ClusterError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'unavailable', message };
}
