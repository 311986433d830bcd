/**
 * The cluster bus every relay runs, over any back end (memory/, redis/): the ordered outbox of changes,
 * the reader of the shared event stream, the heartbeat and reaper, and the state a relay shows in its
 * logs and /healthz. It is written against injected timers and clock, so tests drive it without waiting.
 */
import {
  CLUSTER_PROTOCOL_VERSION,
  type ClaimOptions,
  type ClusterBus,
  type ClusterEvent,
  type ClusterFailure,
  type ClusterListener,
  type ClusterMember,
  type ClusterNode,
  type ClusterRoomSnapshot,
  type ClusterState,
  type ClusterStats,
  type ClusterStatus,
  DEFAULT_NODE_TTL_MS,
  type DirectLineInput,
  type DirectRoute,
  HEARTBEATS_PER_TTL,
  type JoinOptions,
  type NickClaim,
  NODE_ID_PATTERN,
  type PresenceReason,
  type PublishedLine,
  type RoomChange,
} from '../../relay/cluster-bus.ts';
import type { HistoryPage, HistoryQuery, RoomLine, RoomLineInput } from '../../relay/store.ts';
import type { CancelTimer } from '../../store/scheduler.ts';
import type { BusOp, ClusterBackend, EventCursor, NodeIdentity, OpResult } from '../backend.ts';
import { asFailure, ClusterError, isTransient } from '../bus-error.ts';
import { Backoff } from './backoff.ts';
import {
  type BusNodeOptions,
  DEFAULT_MAX_PENDING,
  DEFAULT_MAX_RETRY_MS,
  DEFAULT_READ_BLOCK_MS,
  FIRST_RETRY_MS,
} from './bus-node-options.ts';
import { EventReader } from './event-reader.ts';
import { LocalMirror } from './local-mirror.ts';
import { Outbox } from './outbox.ts';
import { OutboxSender } from './outbox-sender.ts';

export type { BusNodeOptions } from './bus-node-options.ts';

const SILENT: ClusterListener = { event() {}, status() {}, fatal() {} };

export class ClusterBusNode implements ClusterBus {
  readonly nodeId: string;
  private readonly identity: NodeIdentity;
  private readonly outbox: Outbox;
  private readonly mirror = new LocalMirror();
  private readonly reader: EventReader;
  private listener: ClusterListener = SILENT;
  private state: ClusterState = 'connecting';
  private detail = 'connecting';
  private cursor: EventCursor | null = null;
  /** The rooms' kept state hello read, waiting for the reader to reach the event number it holds. */
  private roomStatesDue: { readonly at: number; readonly rooms: ClusterRoomSnapshot[] } | null = null;
  /** The cluster released us (TTL passed while cut off): claim and join the mirror again on hello. */
  private rejoin = false;
  private helloRunning: Promise<ClusterFailure | null> | null = null;
  private readonly sender: OutboxSender;
  private readonly backoff: Backoff;
  private cancelRetry: CancelTimer | null = null;
  private cancelHeartbeat: CancelTimer | null = null;
  /** A flush is due at the end of this turn of the event loop (one change waits for it). */
  private flushDue = false;
  /** The cluster's shared key once read: it never changes while the back end keeps its state. */
  private key: Promise<Uint8Array> | null = null;

  constructor(
    private readonly backend: ClusterBackend,
    private readonly options: BusNodeOptions,
  ) {
    if (!NODE_ID_PATTERN.test(options.nodeId)) {
      throw new ClusterError(
        'bad-url',
        `node id ${JSON.stringify(options.nodeId)}: use 1-64 of A-Z a-z 0-9 _ . -`,
      );
    }
    this.nodeId = options.nodeId;
    this.identity = {
      id: options.nodeId,
      instance: options.instance,
      version: options.version ?? CLUSTER_PROTOCOL_VERSION,
      ttlMs: options.ttlMs ?? DEFAULT_NODE_TTL_MS,
      startedAt: options.clock(),
    };
    this.outbox = new Outbox(options.maxPending ?? DEFAULT_MAX_PENDING);
    this.sender = new OutboxSender(backend, this.identity, this.outbox, {
      connected: () => this.state === 'connected',
      lost: (error) => this.lost(error),
      fatal: (error) => this.fatal(error),
    });
    this.backoff = new Backoff(FIRST_RETRY_MS, options.maxRetryMs ?? DEFAULT_MAX_RETRY_MS);
    this.reader = new EventReader({
      read: (cursor) =>
        this.backend.read(this.identity, cursor, options.readBlockMs ?? DEFAULT_READ_BLOCK_MS),
      deliver: (event, number) => this.deliver(event, number),
      lost: (error) => this.lost(error),
    });
  }

  async start(listener: ClusterListener): Promise<void> {
    this.listener = listener;
    this.backend.onReachable((reachable, detail) => {
      if (reachable) void this.hello();
      else this.lost(new ClusterError('unavailable', detail));
    });
    const failure = await this.hello();
    if (failure !== null) throw new ClusterError(failure.code, failure.message);
    if (this.state === 'closed') throw new ClusterError('closed', 'the bus was closed during start');
    this.armHeartbeat();
  }

  status(): ClusterStatus {
    return { state: this.state, detail: this.detail, pending: this.outbox.pending };
  }

  async publishLine(line: RoomLineInput): Promise<PublishedLine> {
    const id = await this.enqueue({ type: 'line', line });
    return { id: Number(id) };
  }

  async sendDirect(line: DirectLineInput): Promise<DirectRoute> {
    const node = String(await this.enqueue({ type: 'direct', line }));
    return node === '' ? { ok: false } : { ok: true, node };
  }

  async announceRoom(roomKey: string, by: string, change: RoomChange): Promise<void> {
    await this.enqueue({ type: 'room', roomKey, by, change });
  }

  claimNick(nickKey: string, nick: string, options: ClaimOptions = {}): Promise<NickClaim> {
    const op: BusOp =
      options.takeover === true
        ? { type: 'claim', nickKey, nick, takeover: true }
        : { type: 'claim', nickKey, nick };
    if (this.state !== 'connected') {
      // Local service goes on while the back end is away: the claim is granted here and checked when it
      // returns; a nick taken elsewhere meanwhile is reported as `nick-lost`.
      this.mirror.claim(nickKey, nick);
      this.queueClaim(op).catch(() => {});
      return Promise.resolve({ ok: true, provisional: true });
    }
    return new Promise<NickClaim>((resolve, reject) => {
      let answered = false;
      this.pushEntry({
        op,
        applied: (owner) => {
          if (answered) return this.confirmProvisional(nickKey, nick, String(owner));
          answered = true;
          if (owner === '') {
            this.mirror.claim(nickKey, nick);
            resolve({ ok: true, provisional: false });
          } else resolve({ ok: false, owner: String(owner) });
        },
        failed: reject,
        waiting: () => {
          if (answered) return;
          answered = true;
          this.mirror.claim(nickKey, nick);
          resolve({ ok: true, provisional: true });
        },
      });
    });
  }

  async releaseNick(nickKey: string): Promise<void> {
    this.mirror.forget(nickKey);
    await this.enqueue({ type: 'release', nickKey });
  }

  async joinRoom(
    roomKey: string,
    member: { readonly nickKey: string; readonly nick: string },
    reason: PresenceReason,
    options: JoinOptions = {},
  ): Promise<void> {
    this.mirror.join(roomKey, member.nickKey, member.nick);
    const first = options.firstOperator === true ? { firstOperator: true } : {};
    await this.enqueue({
      type: 'join',
      roomKey,
      nickKey: member.nickKey,
      nick: member.nick,
      reason,
      ...first,
    });
  }

  async leaveRoom(roomKey: string, nickKey: string, reason: PresenceReason): Promise<void> {
    this.mirror.leave(roomKey, nickKey);
    await this.enqueue({ type: 'leave', roomKey, nickKey, reason });
  }

  members(roomKey: string): Promise<ClusterMember[]> {
    return this.whenConnected(() => this.backend.members(roomKey));
  }

  nodes(): Promise<ClusterNode[]> {
    return this.whenConnected(() => this.backend.nodes());
  }

  roomStates(): Promise<ClusterRoomSnapshot[]> {
    return this.whenConnected(() => this.backend.roomStates());
  }

  roomHistory(roomKey: string, query: HistoryQuery): Promise<HistoryPage<RoomLine>> {
    return this.whenConnected(() => this.backend.roomHistory(roomKey, query));
  }

  sharedKey(): Promise<Uint8Array> {
    if (this.key === null) {
      const reading = this.whenConnected(() => this.backend.sharedKey());
      // A failed read is not kept: the next call asks again.
      reading.catch(() => {
        if (this.key === reading) this.key = null;
      });
      this.key = reading;
    }
    return this.key;
  }

  stats(): ClusterStats {
    return {
      pending: this.outbox.pending,
      applied: this.outbox.applied,
      eventsRead: this.reader.eventsRead,
      eventsMissed: this.reader.eventsMissed,
      malformed: this.reader.malformed,
    };
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.cancelHeartbeat?.();
    this.cancelRetry?.();
    if (this.state === 'connected') {
      try {
        await this.sender.flush();
        if (this.outbox.pending === 0) await this.backend.goodbye(this.identity);
      } catch {
        // The back end went away while closing: the TTL releases what we held.
      }
    }
    this.setState('closed', 'closed');
    this.reader.stop();
    this.outbox.failAll(new ClusterError('closed', 'the cluster bus was closed'));
    await this.backend.close();
  }

  /**
   * Stops at once without releasing anything, as a crash or kill -9 would look to the cluster: the TTL
   * and the reaper release this relay's nicks and presence.
   */
  async halt(): Promise<void> {
    this.cancelHeartbeat?.();
    this.cancelRetry?.();
    this.setState('closed', 'halted');
    this.reader.stop();
    this.outbox.failAll(new ClusterError('closed', 'the cluster bus was halted'));
    await this.backend.close();
  }

  private enqueue(op: BusOp): Promise<OpResult> {
    return new Promise<OpResult>((resolve, reject) => {
      this.pushEntry({ op, applied: resolve, failed: reject });
    });
  }

  private queueClaim(op: Extract<BusOp, { type: 'claim' }>): Promise<OpResult> {
    return new Promise<OpResult>((resolve, reject) => {
      this.pushEntry({
        op,
        applied: (owner) => {
          this.confirmProvisional(op.nickKey, op.nick, String(owner));
          resolve(owner);
        },
        failed: reject,
      });
    });
  }

  /** What the reader hears, passed on; a nick taken over from this relay is also its `nick-lost`. */
  private deliver(event: ClusterEvent, number: number): void {
    const due = this.roomStatesDue;
    if (due !== null && number > due.at) this.roomStatesReached();
    this.listener.event(event);
    if (due !== null && number === due.at) this.roomStatesReached();
    if (event.type !== 'nick-taken' || event.from !== this.nodeId) return;
    this.mirror.forget(event.nickKey);
    this.listener.event({ type: 'nick-lost', nickKey: event.nickKey, nick: event.nick, owner: event.node });
  }

  /** The reader is where hello read the rooms' state: the state replaces what the relay knew, here. */
  private roomStatesReached(): void {
    const due = this.roomStatesDue;
    if (due === null) return;
    this.roomStatesDue = null;
    this.listener.event({ type: 'room-states', rooms: due.rooms });
  }

  /** A claim granted while the back end was away came back refused: the nick belongs to `owner`. */
  private confirmProvisional(nickKey: string, nick: string, owner: string): void {
    if (owner === '') return;
    this.mirror.forget(nickKey);
    this.listener.event({ type: 'nick-lost', nickKey, nick, owner });
  }

  private pushEntry(entry: Parameters<Outbox['push']>[0]): void {
    if (this.state === 'closed') {
      entry.failed(new ClusterError('closed', 'the cluster bus is closed'));
      return;
    }
    if (this.outbox.full) {
      entry.failed(new ClusterError('backlog-full', `${this.outbox.pending} changes wait for the cluster`));
      return;
    }
    this.outbox.push(entry);
    if (this.state === 'degraded') entry.waiting?.();
    this.flushThisTurn();
  }

  /**
   * One flush at the end of the current turn of the event loop, not one per change: the changes made in
   * one turn (the lines of every datagram one read handed the relay) go in one apply call instead of the
   * first alone. A change waits at most until the turn's callbacks are done (`endOfTurn`; by default the
   * end of the current callback, a microtask).
   */
  private flushThisTurn(): void {
    if (this.flushDue) return;
    this.flushDue = true;
    const endOfTurn = this.options.endOfTurn ?? queueMicrotask;
    endOfTurn(() => {
      this.flushDue = false;
      void this.sender.flush();
    });
  }

  private async whenConnected<T>(read: () => Promise<T>): Promise<T> {
    if (this.state !== 'connected') throw new ClusterError('unavailable', `cluster ${this.detail}`);
    try {
      return await read();
    } catch (error) {
      if (isTransient(error)) this.lost(error);
      throw error;
    }
  }

  /** Says hello (first start, or after the back end returned); one attempt at a time. */
  private hello(): Promise<ClusterFailure | null> {
    if (this.helloRunning === null) {
      this.helloRunning = this.helloOnce().finally(() => {
        this.helloRunning = null;
      });
    }
    return this.helloRunning;
  }

  private async helloOnce(): Promise<ClusterFailure | null> {
    if (this.state === 'closed' || this.state === 'connected') return null;
    this.cancelRetry?.();
    this.cancelRetry = null;
    let cursor: EventCursor;
    try {
      const joined = await this.backend.hello(this.identity);
      cursor = joined.cursor;
      this.roomStatesDue = { at: cursor.eventNumber, rooms: joined.rooms };
    } catch (error) {
      if (!isTransient(error)) return this.fatal(error);
      this.setState('degraded', `unreachable: ${asFailure(error).message}`);
      this.scheduleRetry();
      return null;
    }
    const reset = this.cursor !== null && this.cursor.epoch !== cursor.epoch;
    if (this.cursor === null || reset) this.cursor = cursor;
    if (reset) {
      this.key = null;
      this.reader.reset(cursor);
      this.rejoin = true;
    }
    if (this.rejoin) this.reclaim();
    this.backoff.reset();
    this.setState('connected', 'connected');
    this.reader.resume(this.cursor);
    if (reset) this.listener.event({ type: 'reset' });
    // Read as far as the state holds already (a first start, a reset, a short outage): it goes out now.
    if ((this.reader.eventNumber ?? this.cursor.eventNumber) >= cursor.eventNumber) this.roomStatesReached();
    void this.sender.flush();
    return null;
  }

  /** The cluster released everything we held: claim the nicks and join the rooms again, first. */
  private reclaim(): void {
    this.rejoin = false;
    const entries = [...this.mirror.claimOps(), ...this.mirror.joinOps()].map((op) => ({
      op,
      applied: (result: OpResult) => {
        if (op.type === 'claim') this.confirmProvisional(op.nickKey, op.nick, String(result));
      },
      failed: () => {},
    }));
    this.outbox.pushFront(entries);
  }

  private scheduleRetry(): void {
    if (this.cancelRetry !== null || this.state === 'closed') return;
    const wait = this.backoff.take();
    this.cancelRetry = this.options.scheduler.after(wait, () => {
      this.cancelRetry = null;
      void this.hello();
    });
  }

  /** The back end is unreachable: keep serving locally, keep the outbox, try again with back-off. */
  private lost(error: unknown): void {
    if (error instanceof ClusterError && error.code === 'expired') this.rejoin = true;
    if (this.state !== 'connected') return;
    this.setState('degraded', `unreachable: ${asFailure(error).message}`);
    this.reader.pause();
    this.sender.abandon();
    this.outbox.waiting();
    this.scheduleRetry();
  }

  private fatal(error: unknown): ClusterFailure {
    const failure = asFailure(error);
    this.cancelHeartbeat?.();
    this.setState('closed', failure.message);
    this.reader.stop();
    this.outbox.failAll(new ClusterError(failure.code, failure.message));
    this.listener.fatal(failure);
    void this.backend.close();
    return failure;
  }

  private armHeartbeat(): void {
    if (this.state === 'closed') return;
    const every = Math.max(1, Math.floor(this.identity.ttlMs / HEARTBEATS_PER_TTL));
    this.cancelHeartbeat = this.options.scheduler.after(every, () => {
      void this.beat().finally(() => this.armHeartbeat());
    });
  }

  /** Renews our TTL and reaps relays whose TTL passed; a lapsed TTL means the cluster released us. */
  private async beat(): Promise<void> {
    if (this.state !== 'connected') return;
    // Also a safety net: whatever stopped a flush, what waits goes out within one heartbeat.
    if (this.outbox.pending > 0) void this.sender.flush();
    try {
      if (!(await this.backend.heartbeat(this.identity))) {
        this.rejoin = true;
        this.setState('degraded', 'the cluster presumed this relay dead; joining again');
        this.reader.pause();
        await this.hello();
        return;
      }
      await this.backend.reap();
    } catch (error) {
      if (isTransient(error)) this.lost(error);
    }
  }

  private setState(state: ClusterState, detail: string): void {
    const changed = state !== this.state || detail !== this.detail;
    this.state = state;
    this.detail = detail;
    if (changed) this.listener.status(this.status());
  }
}
