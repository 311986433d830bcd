/**
 * A Redis server's own count of the commands it ran (`INFO stats`, total_commands_processed), read on a
 * short-lived connection of its own: what `udpchat bench --relays` divides by the lines relayed to give
 * Redis operations per line. Scripts count as one command each, as Redis counts them.
 */
import { Redis } from 'ioredis';
import { parseRedisUrl } from './redis-url.ts';

const TIMEOUT_MS = 3_000;

export async function commandsProcessed(url: string): Promise<number> {
  const address = parseRedisUrl(url);
  const client = new Redis({
    host: address.host,
    port: address.port,
    ...(address.username === undefined ? {} : { username: address.username }),
    ...(address.password === undefined ? {} : { password: address.password }),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    commandTimeout: TIMEOUT_MS,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    const info = await client.info('stats');
    const match = /^total_commands_processed:(\d+)/m.exec(info);
    if (match === null)
      throw new Error(`no total_commands_processed in INFO stats from ${address.host}:${address.port}`);
    return Number(match[1]);
  } finally {
    client.disconnect();
  }
}
