/** A cluster bus on a Redis server: the URL read, the Redis back end, the bus logic on Node's timers. */
import { randomUUID } from 'node:crypto';
import type { ClusterBus } from '../../relay/cluster-bus.ts';
import { nodeScheduler, type Scheduler, systemClock } from '../../store/scheduler.ts';
import { type BusNodeOptions, ClusterBusNode } from '../node/bus-node.ts';
import { RedisBackend, type RedisBackendOptions } from './redis-backend.ts';
import { parseRedisUrl } from './redis-url.ts';

export interface RedisBusOptions
  extends Partial<Omit<BusNodeOptions, 'nodeId'>>,
    Pick<RedisBackendOptions, 'prefix' | 'eventCap' | 'roomLineCap'> {
  readonly nodeId: string;
}

/** Throws a ClusterError (`bad-url`) for a URL that cannot be read; connecting waits for `start`. */
export function redisClusterBus(url: string, options: RedisBusOptions): ClusterBus {
  const address = parseRedisUrl(url);
  const scheduler: Scheduler = options.scheduler ?? nodeScheduler;
  const backend = new RedisBackend({
    address,
    url,
    prefix: options.prefix,
    eventCap: options.eventCap,
    roomLineCap: options.roomLineCap,
    maxRetryMs: options.maxRetryMs,
  });
  return new ClusterBusNode(backend, {
    ...options,
    instance: options.instance ?? randomUUID(),
    scheduler,
    clock: options.clock ?? systemClock,
    endOfTurn: options.endOfTurn ?? afterIoCallbacks,
  });
}

/**
 * The end of this turn of Node's event loop (setImmediate runs after the poll phase's I/O callbacks): the
 * lines of every datagram read in one turn go to Redis in one apply call, none held longer than the turn.
 */
function afterIoCallbacks(run: () => void): void {
  setImmediate(run);
}
