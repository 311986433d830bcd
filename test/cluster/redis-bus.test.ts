/** The bus contract on real redis-server processes, one per test, on free ports. */
import { describe } from 'node:test';
import { ClusterBusNode } from '../../src/cluster/node/bus-node.ts';
import { redisClusterBus } from '../../src/cluster/redis/redis-bus.ts';
import { busContract } from './bus-contract.ts';
import type { ClusterFixture } from './support/fixture.ts';
import { RedisServer } from './support/redis-server.ts';

describe('redis cluster bus', () => {
  busContract(async (t) => {
    const server = await RedisServer.start(t, { persist: true });
    const fixture: ClusterFixture = {
      bus: (nodeId, settings = {}) =>
        redisClusterBus(server.url(), { nodeId, readBlockMs: 200, maxRetryMs: 200, ...settings }),
      cut: () => server.stop(),
      restore: () => server.resume(),
      kill: async (bus) => {
        if (bus instanceof ClusterBusNode) await bus.halt();
      },
    };
    return fixture;
  });
});
