/**
 * What the contract suite needs from a cluster back end: relays' buses on one cluster, a way to cut the
 * back end off and bring it back (Redis stopped and started again), and a relay killed without goodbye.
 */
import type { TestContext } from 'node:test';
import type { ClusterBus } from '../../../src/relay/cluster-bus.ts';
import { BusEvents } from './bus-events.ts';

export interface BusSettings {
  readonly ttlMs?: number;
  readonly version?: number;
}

export interface ClusterFixture {
  bus(nodeId: string, settings?: BusSettings): ClusterBus;
  /** The back end becomes unreachable (for Redis: the server is killed). */
  cut(): Promise<void>;
  /** The back end is reachable again, with its data (for Redis: restarted on its append-only file). */
  restore(): Promise<void>;
  /** The relay stops without releasing anything, as kill -9 would. */
  kill(bus: ClusterBus): Promise<void>;
}

export type MakeFixture = (t: TestContext) => Promise<ClusterFixture>;

/** Short TTLs, so the tests of a dead relay take a second, not fifteen. */
export const SHORT_TTL_MS = 600;

export interface StartedBus {
  readonly bus: ClusterBus;
  readonly heard: BusEvents;
}

/** A started bus, closed when the test ends. */
export async function started(
  t: TestContext,
  fixture: ClusterFixture,
  nodeId: string,
  settings: BusSettings = {},
): Promise<StartedBus> {
  const bus = fixture.bus(nodeId, { ttlMs: SHORT_TTL_MS, ...settings });
  const heard = new BusEvents();
  t.after(() => bus.close());
  await bus.start(heard);
  return { bus, heard };
}
