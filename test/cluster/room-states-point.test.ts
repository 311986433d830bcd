/**
 * Where a relay back from an outage takes the rooms' state: one relay's back end is cut off alone while
 * another keeps changing a room, past the event stream's cap (its ban's event is trimmed). On its return
 * the bus delivers hello's state exactly at hello's point of the stream: after every event it already
 * holds, before the first it does not, so the relay's record ends as the cluster's with nothing missed
 * or applied twice. The in-process hub stands for Redis; only the cut-off relay's link to it fails.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type {
  BusOp,
  ClusterBackend,
  EventCursor,
  Joined,
  NodeIdentity,
  OpResult,
  ReadBatch,
} from '../../src/cluster/backend.ts';
import { ClusterError } from '../../src/cluster/bus-error.ts';
import { MemoryBackend } from '../../src/cluster/memory/memory-backend.ts';
import { memoryClusterBus } from '../../src/cluster/memory/memory-bus.ts';
import { MemoryHub } from '../../src/cluster/memory/memory-hub.ts';
import { ClusterBusNode } from '../../src/cluster/node/bus-node.ts';
import type {
  ClusterMember,
  ClusterNode,
  ClusterRoomSnapshot,
  RoomChange,
} from '../../src/relay/cluster-bus.ts';
import type { HistoryPage, HistoryQuery, RoomLine } from '../../src/relay/store.ts';
import { nodeScheduler, systemClock } from '../../src/store/scheduler.ts';
import { BusEvents } from './support/bus-events.ts';

/** One relay's link to the hub, which the test can cut and restore while the others stay connected. */
class SeveredBackend implements ClusterBackend {
  private cut = false;
  private readonly listeners: ((reachable: boolean, detail: string) => void)[] = [];

  constructor(private readonly inner: MemoryBackend) {}

  sever(): void {
    this.cut = true;
    for (const listener of this.listeners) listener(false, 'severed');
  }

  mend(): void {
    this.cut = false;
    for (const listener of this.listeners) listener(true, 'mended');
  }

  private async via<T>(call: () => Promise<T>): Promise<T> {
    if (this.cut) throw new ClusterError('unavailable', 'severed');
    const result = await call();
    if (this.cut) throw new ClusterError('unavailable', 'severed');
    return result;
  }

  hello(node: NodeIdentity): Promise<Joined> {
    return this.via(() => this.inner.hello(node));
  }
  apply(node: NodeIdentity, first: number, ops: readonly BusOp[]): Promise<OpResult[]> {
    return this.via(() => this.inner.apply(node, first, ops));
  }
  heartbeat(node: NodeIdentity): Promise<boolean> {
    return this.via(() => this.inner.heartbeat(node));
  }
  reap(): Promise<number> {
    return this.via(() => this.inner.reap());
  }
  goodbye(node: NodeIdentity): Promise<void> {
    return this.via(() => this.inner.goodbye(node));
  }
  read(node: NodeIdentity, cursor: EventCursor, blockMs: number): Promise<ReadBatch> {
    return this.via(() => this.inner.read(node, cursor, blockMs));
  }
  members(roomKey: string): Promise<ClusterMember[]> {
    return this.via(() => this.inner.members(roomKey));
  }
  nodes(): Promise<ClusterNode[]> {
    return this.via(() => this.inner.nodes());
  }
  roomStates(): Promise<ClusterRoomSnapshot[]> {
    return this.via(() => this.inner.roomStates());
  }
  roomHistory(roomKey: string, query: HistoryQuery): Promise<HistoryPage<RoomLine>> {
    return this.via(() => this.inner.roomHistory(roomKey, query));
  }
  sharedKey(): Promise<Uint8Array> {
    return this.via(() => this.inner.sharedKey());
  }
  onReachable(listener: (reachable: boolean, detail: string) => void): void {
    this.listeners.push(listener);
    this.inner.onReachable((reachable, detail) => {
      if (!this.cut) listener(reachable, detail);
    });
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

const options = (nodeId: string) => ({
  nodeId,
  instance: randomUUID(),
  scheduler: nodeScheduler,
  clock: systemClock,
  ttlMs: 60_000,
  readBlockMs: 50,
  maxRetryMs: 50,
});

const ROOM = '#den';
const topic = (i: number): RoomChange => ({ type: 'topic', topic: `t${i}` });
const topicNumber = (change: RoomChange): number =>
  change.type === 'topic' ? Number(change.topic.slice(1)) : Number.NaN;

describe('the rooms state after an outage', () => {
  it('is delivered at hello’s point of the stream, recovering a trimmed ban, with every later change once', async (t) => {
    const hub = new MemoryHub({ scheduler: nodeScheduler, clock: systemClock, eventCap: 20 });
    const a = memoryClusterBus(hub, options('a'));
    const severed = new SeveredBackend(new MemoryBackend(hub));
    const c = new ClusterBusNode(severed, options('c'));
    const heard = new BusEvents();
    t.after(async () => {
      await a.close();
      await c.close();
    });
    await a.start(new BusEvents());
    await c.start(heard);
    await a.announceRoom(ROOM, 'olga', topic(0));
    await heard.until(() => heard.of('room').length === 1, 'c hears the first topic');

    severed.sever();
    await heard.untilState('degraded');
    const ban = JSON.stringify({ account: null, host: '127.0.0.2', nickKey: 'pest', nick: 'pest' });
    await a.announceRoom(ROOM, 'olga', { type: 'ban', mask: ban, on: true });
    for (let i = 1; i <= 40; i += 1) await a.announceRoom(ROOM, 'olga', topic(i));

    const since = heard.events.length;
    severed.mend();
    // More changes while c says hello and reads on: some before its state's point, some after.
    for (let i = 41; i <= 45; i += 1) await a.announceRoom(ROOM, 'olga', topic(i));
    await heard.until(
      () => heard.events.slice(since).some((e) => e.type === 'room' && topicNumber(e.change) === 45),
      'c hears the last topic',
    );

    const back = heard.events.slice(since);
    assert.ok(
      back.some((e) => e.type === 'gap'),
      'the trimmed events show as a gap',
    );
    const at = back.findIndex((e) => e.type === 'room-states');
    const state = back[at];
    assert.ok(state?.type === 'room-states', 'the state is told again');
    const kept = state.rooms.find((r) => r.roomKey === ROOM);
    assert.deepEqual(kept?.bans, [ban], 'the ban whose event was trimmed is in the state');
    const point = Number(kept?.topic.slice(1));
    const topicsOf = (events: typeof back) =>
      events.flatMap((e) => (e.type === 'room' ? [topicNumber(e.change)] : []));
    const before = topicsOf(back.slice(0, at));
    const after = topicsOf(back.slice(at + 1));
    assert.ok(
      before.every((n) => n <= point),
      `before the state only what it holds (${before.join(' ')} / t${point})`,
    );
    assert.equal(before.at(-1) ?? point, point, 'the state comes right after the last event it holds');
    assert.deepEqual(
      after,
      Array.from({ length: 45 - point }, (_, i) => point + 1 + i),
      'after it, every later change once',
    );
    assert.equal(heard.of('room-states').length, 2);
  });
});
