/**
 * Runs a bus script by its SHA-1 (EVALSHA) and sends its source only when the server does not know it
 * yet (NOSCRIPT: a fresh or restarted server), so a busy relay does not ship kilobytes of Lua per batch.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export class Script {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, 0, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return await redis.eval(this.source, 0, ...args);
    }
  }
}
