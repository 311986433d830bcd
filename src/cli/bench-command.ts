/** `udpchat bench` (placeholder until it lands). */
import { UsageError } from './usage-error.ts';

export async function runBench(_args: string[]): Promise<number> {
  throw new UsageError('"udpchat bench" is not available yet');
}
