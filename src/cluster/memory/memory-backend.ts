/** One relay's connection to an in-process cluster (a MemoryHub): the ClusterBackend the bus runs on. */
import type { ClusterMember, ClusterNode, ClusterRoomSnapshot } from '../../relay/cluster-bus.ts';
import type { HistoryPage, HistoryQuery, RoomLine } from '../../relay/store.ts';
import type {
  BusOp,
  ClusterBackend,
  EventCursor,
  Joined,
  NodeIdentity,
  OpResult,
  ReadBatch,
} from '../backend.ts';
import { ClusterError } from '../bus-error.ts';
import { historyPage } from './memory-history.ts';
import type { MemoryHub } from './memory-hub.ts';

export class MemoryBackend implements ClusterBackend {
  private closed = false;
  private readonly unwatch: (() => void)[] = [];

  constructor(private readonly hub: MemoryHub) {}

  // Each call answers on a later turn (as a server would), so no caller sees its answer synchronously.
  private async call<T>(run: () => T): Promise<T> {
    await Promise.resolve();
    if (this.closed) throw new ClusterError('closed', 'the connection was closed');
    return run();
  }

  hello(node: NodeIdentity): Promise<Joined> {
    return this.call(() => this.hub.hello(node));
  }

  apply(node: NodeIdentity, first: number, ops: readonly BusOp[]): Promise<OpResult[]> {
    return this.call(() => this.hub.apply(node, first, ops));
  }

  heartbeat(node: NodeIdentity): Promise<boolean> {
    return this.call(() => this.hub.heartbeat(node));
  }

  reap(): Promise<number> {
    return this.call(() => this.hub.reap());
  }

  goodbye(node: NodeIdentity): Promise<void> {
    return this.call(() => this.hub.goodbye(node));
  }

  async read(node: NodeIdentity, cursor: EventCursor, blockMs: number): Promise<ReadBatch> {
    const batch = await this.call(() => this.hub.read(node, cursor, blockMs));
    if (this.closed) throw new ClusterError('closed', 'the connection was closed');
    return batch;
  }

  members(roomKey: string): Promise<ClusterMember[]> {
    return this.call(() => this.hub.members(roomKey));
  }

  nodes(): Promise<ClusterNode[]> {
    return this.call(() => this.hub.nodes());
  }

  roomStates(): Promise<ClusterRoomSnapshot[]> {
    return this.call(() => this.hub.roomStates());
  }

  roomHistory(roomKey: string, query: HistoryQuery): Promise<HistoryPage<RoomLine>> {
    return this.call(() => {
      this.hub.check();
      return historyPage(this.hub.state.rooms.get(roomKey)?.lines ?? [], query);
    });
  }

  sharedKey(): Promise<Uint8Array> {
    return this.call(() => this.hub.sharedKey());
  }

  onReachable(listener: (reachable: boolean, detail: string) => void): void {
    this.unwatch.push(this.hub.watch(listener));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const unwatch of this.unwatch) unwatch();
    this.hub.wakeReaders();
  }
}
