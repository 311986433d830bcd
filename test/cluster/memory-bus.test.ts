/** The bus contract on the in-process cluster (a MemoryHub): what a single relay runs. */
import { randomUUID } from 'node:crypto';
import { describe } from 'node:test';
import { memoryClusterBus } from '../../src/cluster/memory/memory-bus.ts';
import { MemoryHub } from '../../src/cluster/memory/memory-hub.ts';
import { ClusterBusNode } from '../../src/cluster/node/bus-node.ts';
import { nodeScheduler, systemClock } from '../../src/store/scheduler.ts';
import { busContract } from './bus-contract.ts';
import type { ClusterFixture } from './support/fixture.ts';

describe('memory cluster bus', () => {
  busContract(async () => {
    const hub = new MemoryHub({ scheduler: nodeScheduler, clock: systemClock });
    const fixture: ClusterFixture = {
      bus: (nodeId, settings = {}) =>
        memoryClusterBus(hub, {
          nodeId,
          instance: randomUUID(),
          scheduler: nodeScheduler,
          clock: systemClock,
          readBlockMs: 200,
          maxRetryMs: 200,
          ...settings,
        }),
      cut: async () => hub.setReachable(false),
      restore: async () => hub.setReachable(true),
      kill: async (bus) => {
        if (bus instanceof ClusterBusNode) await bus.halt();
      },
    };
    return fixture;
  });
});
