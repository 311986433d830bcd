/**
 * A model test of the nick and presence protocol on the in-process cluster, with a manual clock: random
 * programs of claims, releases, joins, leaves, relays killed (no goodbye) and restarted, and time passing,
 * checked step by step against a model of what the protocol promises:
 * - a nick has one owner; a claim wins when the nick is free, ours, or held by a relay dead for a TTL;
 * - a claim against a live relay is refused, naming it;
 * - a live relay's members are exactly the rooms it joined with nicks it holds;
 * - a dead relay's nicks and members are gone within TTL + two heartbeats while any relay lives (no ghosts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { memoryClusterBus } from '../../src/cluster/memory/memory-bus.ts';
import { MemoryHub } from '../../src/cluster/memory/memory-hub.ts';
import type { ClusterBusNode } from '../../src/cluster/node/bus-node.ts';
import { HEARTBEATS_PER_TTL } from '../../src/relay/cluster-bus.ts';
import { ManualScheduler } from '../store/support/manual-scheduler.ts';
import { BusEvents } from './support/bus-events.ts';

const TTL_MS = 900;
const BEAT_MS = TTL_MS / HEARTBEATS_PER_TTL;
const STEP_MS = 100;
const NODES = ['a', 'b', 'c'] as const;
const NICKS = ['alice', 'bob', 'carol'] as const;
const ROOMS = ['#x', '#y'] as const;

interface NickStep {
  readonly node: number;
  readonly nick: number;
}
interface RoomStep extends NickStep {
  readonly room: number;
}
type Action =
  | ({ readonly type: 'claim' } & NickStep)
  | ({ readonly type: 'release' } & NickStep)
  | ({ readonly type: 'join' } & RoomStep)
  | ({ readonly type: 'leave' } & RoomStep)
  | { readonly type: 'kill'; readonly node: number }
  | { readonly type: 'restart'; readonly node: number }
  | { readonly type: 'wait'; readonly steps: number };

const node = fc.integer({ min: 0, max: NODES.length - 1 });
const nick = fc.integer({ min: 0, max: NICKS.length - 1 });
const room = fc.integer({ min: 0, max: ROOMS.length - 1 });
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ type: fc.constant('claim' as const), node, nick }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('release' as const), node, nick }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('join' as const), node, nick, room }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('leave' as const), node, nick, room }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('kill' as const), node }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('restart' as const), node }) },
  {
    weight: 3,
    arbitrary: fc.record({ type: fc.constant('wait' as const), steps: fc.integer({ min: 1, max: 6 }) }),
  },
);

/** Lets every answer of the in-process back end arrive (they are all microtasks). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface Relay {
  bus: ClusterBusNode | null;
  /** When it was killed (null: alive). */
  killedAt: number | null;
  instance: number;
}

class World {
  readonly scheduler = new ManualScheduler();
  readonly hub = new MemoryHub({ scheduler: this.scheduler, clock: () => this.scheduler.now });
  readonly relays: Relay[] = NODES.map(() => ({ bus: null, killedAt: null, instance: 0 }));
  /** The model: nick -> owning node index; room -> nicks joined (by their owner). */
  readonly owner = new Map<number, number>();
  readonly joined = new Map<number, Set<number>>();

  async start(index: number): Promise<boolean> {
    const relay = this.relays[index] as Relay;
    relay.instance += 1;
    const bus = memoryClusterBus(this.hub, {
      nodeId: NODES[index] as string,
      instance: `${NODES[index]}-${relay.instance}`,
      scheduler: this.scheduler,
      clock: () => this.scheduler.now,
      ttlMs: TTL_MS,
      readBlockMs: 1_000,
    }) as ClusterBusNode;
    try {
      await bus.start(new BusEvents());
    } catch {
      return false;
    }
    relay.bus = bus;
    relay.killedAt = null;
    for (const [key, holder] of [...this.owner]) if (holder === index) this.drop(key);
    return true;
  }

  drop(nickIndex: number): void {
    this.owner.delete(nickIndex);
    for (const members of this.joined.values()) members.delete(nickIndex);
  }

  /** A dead relay's claim may still stand until its TTL has surely passed. */
  surelyDead(index: number): boolean {
    const killedAt = this.relays[index]?.killedAt;
    return killedAt !== null && killedAt !== undefined && this.scheduler.now >= killedAt + TTL_MS;
  }

  async run(step: Action): Promise<void> {
    if (step.type === 'wait') {
      for (let i = 0; i < step.steps; i++) {
        this.scheduler.advance(STEP_MS);
        await settle();
      }
      return;
    }
    const relay = this.relays[step.node] as Relay;
    if (step.type === 'restart') {
      if (relay.bus !== null) return;
      const started = await this.start(step.node);
      if (this.surelyDead(step.node)) assert.ok(started, 'a relay dead for a TTL can start again');
      return;
    }
    const bus = relay.bus;
    if (bus === null) return;
    if (step.type === 'kill') {
      await bus.halt();
      relay.bus = null;
      relay.killedAt = this.scheduler.now;
      return;
    }
    if (step.type === 'join' || step.type === 'leave') return this.roomStep(bus, step);
    return this.nickStep(bus, step);
  }

  private async nickStep(
    bus: ClusterBusNode,
    step: Extract<Action, { type: 'claim' | 'release' }>,
  ): Promise<void> {
    const key = NICKS[step.nick] as string;
    if (step.type === 'claim') return this.claim(bus, step.node, step.nick, key);
    await bus.releaseNick(key);
    if (this.owner.get(step.nick) === step.node) this.drop(step.nick);
  }

  private async roomStep(
    bus: ClusterBusNode,
    step: Extract<Action, { type: 'join' | 'leave' }>,
  ): Promise<void> {
    const key = NICKS[step.nick] as string;
    const roomKey = ROOMS[step.room] as string;
    const members = this.joined.get(step.room) ?? new Set<number>();
    this.joined.set(step.room, members);
    if (step.type === 'join') {
      await bus.joinRoom(roomKey, { nickKey: key, nick: key }, 'join');
      if (this.owner.get(step.nick) === step.node) members.add(step.nick);
    } else {
      await bus.leaveRoom(roomKey, key, 'part');
      if (this.owner.get(step.nick) === step.node) members.delete(step.nick);
    }
  }

  private async claim(bus: ClusterBusNode, index: number, nickIndex: number, key: string): Promise<void> {
    const result = await bus.claimNick(key, key);
    const holder = this.owner.get(nickIndex);
    const holderAlive = holder !== undefined && this.relays[holder]?.bus !== null;
    if (holder === undefined || holder === index || (holder !== undefined && this.surelyDead(holder))) {
      assert.deepEqual(result, { ok: true, provisional: false }, `claim of ${key} by ${NODES[index]}`);
    } else if (holderAlive) {
      assert.deepEqual(result, { ok: false, owner: NODES[holder] }, `claim of ${key} by ${NODES[index]}`);
    }
    if (result.ok) {
      if (holder !== undefined && holder !== index) this.drop(nickIndex);
      this.owner.set(nickIndex, index);
    }
  }

  check(): void {
    const now = this.scheduler.now;
    const state = this.hub.state;
    for (const [nickIndex, holder] of this.owner) {
      if (this.relays[holder]?.bus === null) continue;
      assert.equal(
        state.nicks.get(NICKS[nickIndex] as string)?.node,
        NODES[holder],
        `owner of ${NICKS[nickIndex]}`,
      );
    }
    ROOMS.forEach((roomKey, roomIndex) => {
      const live = [...(state.rooms.get(roomKey)?.members.values() ?? [])].filter(
        (member) => this.relays[NODES.indexOf(member.node as (typeof NODES)[number])]?.bus !== null,
      );
      const expected = [...(this.joined.get(roomIndex) ?? [])]
        .filter((nickIndex) => this.relays[this.owner.get(nickIndex) ?? -1]?.bus != null)
        .map((nickIndex) => NICKS[nickIndex])
        .sort();
      assert.deepEqual(live.map((member) => member.nickKey).sort(), expected, `members of ${roomKey}`);
    });
    const anyAlive = this.relays.some((relay) => relay.bus !== null);
    this.relays.forEach((relay, index) => {
      if (relay.killedAt === null || !anyAlive || now < relay.killedAt + TTL_MS + 2 * BEAT_MS) return;
      const id = NODES[index] as string;
      assert.ok(![...state.nicks.values()].some((held) => held.node === id), `no nick of dead ${id}`);
      for (const [roomKey, entry] of state.rooms) {
        assert.ok(![...entry.members.values()].some((m) => m.node === id), `no ghost of ${id} in ${roomKey}`);
      }
    });
  }

  async close(): Promise<void> {
    for (const relay of this.relays) await relay.bus?.halt();
  }
}

describe('the nick and presence protocol against its model', () => {
  it('holds over random programs of claims, joins, kills, restarts and time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 60 }), async (program) => {
        const world = new World();
        try {
          for (let index = 0; index < NODES.length; index++) assert.ok(await world.start(index));
          for (const step of program) {
            await world.run(step);
            world.check();
          }
          // Then long enough for every dead relay to be reaped, with one relay alive to reap it.
          if (world.relays.every((relay) => relay.bus === null)) {
            await world.run({ type: 'wait', steps: TTL_MS / STEP_MS });
            assert.ok(await world.start(0));
          }
          await world.run({ type: 'wait', steps: (TTL_MS + 3 * BEAT_MS) / STEP_MS });
          world.check();
        } finally {
          await world.close();
        }
      }),
      { numRuns: 300 },
    );
  });
});
