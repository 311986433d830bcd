/**
 * The bus a relay is handed at start-up: the Redis one for `--cluster URL`, otherwise an in-process hub
 * of its own (a cluster of one), so a single relay and a cluster run the same code.
 */
import { randomUUID } from 'node:crypto';
import { memoryClusterBus } from '../cluster/memory/memory-bus.ts';
import { MemoryHub } from '../cluster/memory/memory-hub.ts';
import { redisClusterBus } from '../cluster/redis/redis-bus.ts';
import type { ClusterBus } from '../relay/cluster-bus.ts';
import { nodeScheduler, systemClock } from '../store/scheduler.ts';

export interface ClusterChoice {
  /** `redis://...`, or undefined for a relay on its own. */
  readonly url: string | undefined;
  readonly nodeId: string;
}

export function openClusterBus(choice: ClusterChoice): ClusterBus {
  if (choice.url !== undefined) return redisClusterBus(choice.url, { nodeId: choice.nodeId });
  const hub = new MemoryHub({ scheduler: nodeScheduler, clock: systemClock });
  return memoryClusterBus(hub, {
    nodeId: choice.nodeId,
    instance: randomUUID(),
    scheduler: nodeScheduler,
    clock: systemClock,
  });
}
