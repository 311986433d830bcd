/**
 * A cluster bus in one process: what a single relay runs (a cluster of one), and what tests run several
 * relays on. Every bus made on the same hub is a relay of the same cluster.
 */
import type { ClusterBus } from '../../relay/cluster-bus.ts';
import { type BusNodeOptions, ClusterBusNode } from '../node/bus-node.ts';
import { MemoryBackend } from './memory-backend.ts';
import type { MemoryHub } from './memory-hub.ts';

export function memoryClusterBus(hub: MemoryHub, options: BusNodeOptions): ClusterBus {
  return new ClusterBusNode(new MemoryBackend(hub), options);
}
