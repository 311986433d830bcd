/**
 * An in-process cluster: the shared state and the rules a Redis server and its scripts hold for a real
 * one, for a single relay and for tests. Each relay connects through its own MemoryBackend; `reachable`
 * cuts every connection at once, as a stopped Redis would.
 */
import {
  type ClusterEvent,
  type ClusterMember,
  type ClusterNode,
  type ClusterRoomSnapshot,
  SHARED_KEY_BYTES,
} from '../../relay/cluster-bus.ts';
import type { Scheduler } from '../../store/scheduler.ts';
import type { BusOp, EventCursor, Joined, NodeIdentity, OpResult, ReadBatch } from '../backend.ts';
import { ClusterError } from '../bus-error.ts';
import { EVENT_STREAM_CAP, READ_COUNT, ROOM_STREAM_CAP } from '../limits.ts';
import { streamIdAfter } from '../node/stream-id.ts';
import { applyOp, type MemoryCaps } from './memory-apply.ts';
import { MemoryState } from './memory-state.ts';

export interface MemoryHubOptions {
  readonly scheduler: Scheduler;
  /** Unix ms: heartbeats expire on it. */
  readonly clock: () => number;
  readonly eventCap?: number;
  readonly roomLineCap?: number;
  /** Random bytes for the cluster's shared key (the Web Crypto API's when not given). */
  readonly random?: (size: number) => Uint8Array;
}

function webRandom(size: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(size));
}

type Reachability = (reachable: boolean, detail: string) => void;

export class MemoryHub {
  readonly state = new MemoryState();
  private readonly caps: MemoryCaps;
  private readonly wakers = new Set<() => void>();
  private readonly watchers = new Set<Reachability>();
  private up = true;
  private key: Uint8Array | null = null;

  constructor(private readonly options: MemoryHubOptions) {
    this.caps = {
      events: options.eventCap ?? EVENT_STREAM_CAP,
      roomLines: options.roomLineCap ?? ROOM_STREAM_CAP,
    };
  }

  get reachable(): boolean {
    return this.up;
  }

  /** Cuts (false) or restores (true) every relay's connection, as stopping and starting Redis would. */
  setReachable(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    this.wakeReaders();
    for (const watcher of [...this.watchers]) watcher(up, up ? 'reachable' : 'memory cluster cut off');
  }

  watch(watcher: Reachability): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  check(): void {
    if (!this.up) throw new ClusterError('unavailable', 'memory cluster cut off');
  }

  hello(node: NodeIdentity): Joined {
    this.check();
    const state = this.state;
    if (state.version === null) state.version = node.version;
    if (state.version !== node.version) {
      throw new ClusterError(
        'version-mismatch',
        `the cluster speaks bus protocol ${state.version}, this relay ${node.version}`,
      );
    }
    const now = this.options.clock();
    const known = state.nodes.get(node.id);
    if (known !== undefined && known.instance !== node.instance && known.expiresAt > now) {
      throw new ClusterError('node-id-in-use', `node id ${node.id} is in use by a live relay`);
    }
    if (known === undefined || known.instance !== node.instance) {
      if (known !== undefined) this.release(node.id);
      if (state.lastBatches.get(node.id)?.instance !== node.instance) state.lastBatches.delete(node.id);
      state.nodes.set(node.id, {
        instance: node.instance,
        version: node.version,
        startedAt: node.startedAt,
        expiresAt: now + node.ttlMs,
        nicks: new Set(),
        presence: new Set(),
        inbox: [],
        inboxSeq: 0,
      });
    } else known.expiresAt = now + node.ttlMs;
    const target = state.nodes.get(node.id);
    const cursor: EventCursor = {
      epoch: state.epoch,
      events: `${state.eventNumber}-0`,
      inbox: `${target?.inboxSeq ?? 0}-0`,
      eventNumber: state.eventNumber,
    };
    const rooms = this.state.roomStates.snapshots();
    this.publish({ type: 'node-up', node: node.id, version: node.version });
    return { cursor, rooms };
  }

  apply(node: NodeIdentity, first: number, ops: readonly BusOp[]): OpResult[] {
    this.check();
    const last = this.state.lastBatches.get(node.id);
    if (last !== undefined && last.instance === node.instance && last.first === first)
      return [...last.results];
    const now = this.options.clock();
    const known = this.state.nodes.get(node.id);
    if (known === undefined || known.instance !== node.instance || known.expiresAt <= now) {
      throw new ClusterError('expired', `node ${node.id} was presumed dead`);
    }
    const results = ops.map((op) => applyOp(this.state, node.id, op, now, this.caps));
    this.state.lastBatches.set(node.id, { instance: node.instance, first, results });
    this.wakeReaders();
    return results;
  }

  heartbeat(node: NodeIdentity): boolean {
    this.check();
    const known = this.state.nodes.get(node.id);
    const now = this.options.clock();
    if (known === undefined || known.instance !== node.instance || known.expiresAt <= now) return false;
    known.expiresAt = now + node.ttlMs;
    return true;
  }

  reap(): number {
    this.check();
    const now = this.options.clock();
    const dead = [...this.state.nodes].filter(([, node]) => node.expiresAt <= now).map(([id]) => id);
    for (const id of dead) this.release(id);
    return dead.length;
  }

  goodbye(node: NodeIdentity): void {
    this.check();
    if (this.state.nodes.get(node.id)?.instance === node.instance) this.release(node.id);
  }

  /** Frees a relay's nicks and presence and tells the others, as the Redis reaper script does. */
  private release(id: string): void {
    const node = this.state.nodes.get(id);
    if (node === undefined) return;
    const nicks = [...node.nicks].filter((key) => this.state.nicks.get(key)?.node === id);
    for (const key of nicks) this.state.nicks.delete(key);
    const left: { roomKey: string; member: ClusterMember }[] = [];
    for (const entry of node.presence) {
      const [roomKey = '', nickKey = ''] = entry.split(' ');
      const room = this.state.rooms.get(roomKey);
      const member = room?.members.get(nickKey);
      if (room === undefined || member === undefined || member.node !== id) continue;
      room.members.delete(nickKey);
      this.state.roomStates.left(roomKey, nickKey);
      left.push({ roomKey, member });
    }
    this.state.nodes.delete(id);
    this.publish({ type: 'node-gone', node: id, nicks, left });
  }

  private publish(event: ClusterEvent): void {
    this.state.append(event, this.caps.events);
    this.wakeReaders();
  }

  /** Entries after the cursor, or a wait of up to `blockMs` for one (rejected if the cluster is cut off). */
  read(node: NodeIdentity, cursor: EventCursor, blockMs: number): Promise<ReadBatch> {
    const now = (): ReadBatch => this.entriesAfter(node.id, cursor);
    this.check();
    const ready = now();
    if (ready.events.length > 0 || ready.inbox.length > 0) return Promise.resolve(ready);
    return new Promise<ReadBatch>((resolve, reject) => {
      const wake = (): void => {
        cancel();
        this.wakers.delete(wake);
        if (!this.up) reject(new ClusterError('unavailable', 'memory cluster cut off'));
        else resolve(now());
      };
      const cancel = this.options.scheduler.after(blockMs, wake);
      this.wakers.add(wake);
    });
  }

  private entriesAfter(id: string, cursor: EventCursor): ReadBatch {
    const events = this.state.events
      .filter((entry) => streamIdAfter(entry.id, cursor.events))
      .slice(0, READ_COUNT);
    const inbox = (this.state.nodes.get(id)?.inbox ?? [])
      .filter((entry) => streamIdAfter(entry.id, cursor.inbox))
      .slice(0, READ_COUNT);
    return { events, inbox };
  }

  /** Wakes every waiting read (woken early, a read answers with what is new: possibly nothing). */
  wakeReaders(): void {
    for (const wake of [...this.wakers]) wake();
  }

  /** Made on first use and kept for the hub's life, as Redis's SET NX keeps the first relay's. */
  sharedKey(): Uint8Array {
    this.check();
    this.key ??= (this.options.random ?? webRandom)(SHARED_KEY_BYTES);
    return Uint8Array.from(this.key);
  }

  nodes(): ClusterNode[] {
    this.check();
    const now = this.options.clock();
    return [...this.state.nodes]
      .filter(([, node]) => node.expiresAt > now)
      .map(([id, node]) => ({ id, version: node.version, startedAt: node.startedAt }));
  }

  roomStates(): ClusterRoomSnapshot[] {
    this.check();
    return this.state.roomStates.snapshots();
  }

  members(roomKey: string): ClusterMember[] {
    this.check();
    return [...(this.state.rooms.get(roomKey)?.members.values() ?? [])];
  }
}
