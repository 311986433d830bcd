/** The shared state of an in-process cluster: what a Redis server holds for a real one. */
import type { ClusterEvent, ClusterMember } from '../../relay/cluster-bus.ts';
import type { RoomLine } from '../../relay/store.ts';
import type { OpResult, ReadEntry } from '../backend.ts';
import { KeptRoomStates } from '../room-state-rules.ts';

export interface MemoryNode {
  instance: string;
  version: number;
  startedAt: number;
  expiresAt: number;
  readonly nicks: Set<string>;
  /** `roomKey nickKey` (nick keys hold no space). */
  readonly presence: Set<string>;
  readonly inbox: ReadEntry[];
  inboxSeq: number;
}

export interface MemoryRoom {
  seq: number;
  readonly lines: RoomLine[];
  readonly members: Map<string, ClusterMember>;
}

export interface LastBatch {
  readonly instance: string;
  readonly first: number;
  readonly results: readonly OpResult[];
}

export class MemoryState {
  version: number | null = null;
  /** Memory never loses its state while the process lives: one epoch. */
  readonly epoch = 'memory';
  readonly nodes = new Map<string, MemoryNode>();
  readonly nicks = new Map<string, { readonly node: string; readonly nick: string }>();
  readonly rooms = new Map<string, MemoryRoom>();
  /** Each room's moderation state, changed with its room events (Redis: `P room-state`). */
  readonly roomStates = new KeptRoomStates();
  readonly lastBatches = new Map<string, LastBatch>();
  readonly events: ReadEntry[] = [];
  eventNumber = 0;

  room(roomKey: string): MemoryRoom {
    let room = this.rooms.get(roomKey);
    if (room === undefined) {
      room = { seq: 0, lines: [], members: new Map() };
      this.rooms.set(roomKey, room);
    }
    return room;
  }

  alive(id: string, now: number): boolean {
    const node = this.nodes.get(id);
    return node !== undefined && node.expiresAt > now;
  }

  /** Appends to the shared stream: ids are `<number>-0`, so they grow as the numbers do. */
  append(event: ClusterEvent, cap: number): void {
    this.eventNumber += 1;
    this.events.push({ id: `${this.eventNumber}-0`, number: this.eventNumber, event });
    if (this.events.length > cap) this.events.splice(0, this.events.length - cap);
  }
}
