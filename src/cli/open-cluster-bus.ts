/**
 * A bus for a cluster choice: the Redis one for a URL, otherwise an in-process hub of its own (a cluster
 * of one) that runs the same bus logic. `udpchat relay` does not use the cluster of one: without
 * `--cluster` its core runs with no bus at all, exactly as a single relay always did (no claim round trip,
 * no echo of each line), and with `--cluster` it joins through relay-cluster.ts.
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
