/**
 * `bench --relays N`: N of our relays in one cluster on a Redis the bench starts, each with its own node
 * id and every flood limit off; the clients are spread over them evenly (traffic-session.ts), so most
 * deliveries cross relays through Redis. Everything started is stopped again, also when a start fails.
 */
import { BenchRedis } from './redis-process.ts';
import { ownRelayCommand, type RelayUnderTest, spawnRelay } from './relay-process.ts';

export interface BenchCluster {
  readonly relays: readonly RelayUnderTest[];
  readonly redis: BenchRedis;
  stop(): Promise<void>;
}

export async function startCluster(count: number, extraArgs: readonly string[]): Promise<BenchCluster> {
  const redis = await BenchRedis.start();
  const relays: RelayUnderTest[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(relays.map((relay) => relay.stop()));
    await redis.stop();
  };
  try {
    for (let i = 1; i <= count; i++) {
      const args = ['--cluster', redis.url, '--node-id', `bench-${i}`, '--log-level', 'warn', ...extraArgs];
      relays.push(await spawnRelay(ownRelayCommand(args), `cluster relay ${i} of ${count}`, 'udp'));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { relays, redis, stop };
}
