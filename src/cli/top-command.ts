/** `udpchat top` (placeholder until it lands). */
import { UsageError } from './usage-error.ts';

export async function runTop(_args: string[]): Promise<number> {
  throw new UsageError('"udpchat top" is not available yet');
}
