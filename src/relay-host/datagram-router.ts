/**
 * Where each datagram goes, and where each answer goes: v2 datagrams (first byte 0xFF) to the v2 endpoint,
 * everything else to the v1 relay core (unless `--strict`); lines for a v2 session down its reliable channel,
 * lines for a v1 client to the socket. The cores decide; this file only routes, on the hot path, without
 * per-datagram output arrays. With the sendmmsg addon, the datagrams one call produces (a broadcast's
 * fan-out, v1 or sealed v2) leave together at its end, in one `DatagramTransport.sendBatch`; without it,
 * each is sent at once.
 * It sees the socket only as a DatagramTransport and time only through its injected clock, so the whole
 * assembled relay also runs over an in-memory network (test/sim). Stream clients (TCP, WebSocket) call into
 * the core through `run` (stream-gateway.ts); lines for them go to their connection.
 */
import type { Address } from '../protocol/address.ts';
import { CLOSE_REASONS } from '../protocol/v2/packets.ts';
import { isV2 } from '../protocol/v2/wire-common.ts';
import type { ClusterAction } from '../relay/cluster/actions.ts';
import type { HistoryTask, RelayEvent, RelaySink, RelayTask } from '../relay/output.ts';
import type { Relay } from '../relay/relay.ts';
import type { HistoryPage, RoomLine } from '../relay/store.ts';
import type { V2RelayEndpoint, V2RelaySink } from '../session/relay-endpoint.ts';
import { RelaySession } from '../session/relay-session.ts';
import type { DatagramTransport } from '../transport/datagram-transport.ts';
import type { Clock } from '../transport/system-clock.ts';
import type { AppliedTickets } from './cluster-link.ts';
import { CommitWaiters } from './commit-waiters.ts';
import type { TaskRunner } from './secret-checker.ts';
import { StreamPeer } from './stream-peer.ts';

const NO_LINES: HistoryPage<RoomLine> = { lines: [], more: false };

export interface RouterOptions {
  /** Refuse v1 (unvalidated) clients entirely: their datagrams are dropped unanswered. */
  readonly strict: boolean;
  readonly onEvent: (event: RelayEvent) => void;
  /** Read only when a task's verdict comes back: every other entry point is handed `now`. */
  readonly clock: Clock;
  /** Runs the core's `check-secret` tasks off the receive path. */
  readonly runTask: TaskRunner;
  /** Runs `run` soon, outside the current call (the binding's timers, so a simulation keeps its order). */
  readonly defer: (run: () => void) => void;
  /** Where the core's cluster actions go (cluster-link.ts); absent for a relay on its own. */
  readonly cluster?: (action: ClusterAction) => void;
  /**
   * Where `/history` is answered instead of the store: in a cluster, the cluster's room streams, so every
   * relay answers the same.
   */
  readonly history?: (roomKey: string, query: HistoryTask['query']) => Promise<HistoryPage<RoomLine>>;
  /**
   * In a cluster, a v2 line is acknowledged once the bus applied it (not the store's commit: the cluster
   * keeps the lines), so a relay that dies loses no acknowledged line.
   */
  readonly applied?: AppliedTickets;
}

export class DatagramRouter {
  /** Datagrams dropped because `--strict` refuses v1. */
  strictDrops = 0;
  private now = 0;
  private stopping = false;
  private lastPayload: Uint8Array | null = null;
  private lastText = '';
  /** Sees the core's events during one `run` (a stream gateway's refusal check), else null. */
  private watcher: ((event: RelayEvent) => void) | null = null;
  private readonly decoder = new TextDecoder();
  /** v1 datagrams waiting for `flushV1`, in order; the arrays are reused (no allocation per datagram). */
  private readonly batching: boolean;
  private readonly batchTo: Address[] = [];
  private readonly batchPayloads: Uint8Array[] = [];
  private batched = 0;

  readonly coreSink: RelaySink = {
    transmit: (to, payload) => this.transmit(to, payload),
    event: (event) => this.coreEvent(event),
    task: (task) => this.runTask(task),
    // A v2 session is pinged with a PING frame (its channel answers at once), not a v1 /ping line.
    keepalive: (peer) => {
      if (peer instanceof RelaySession) this.v2.ping(peer);
    },
    cluster: (action) => this.options.cluster?.(action),
  };

  readonly v2Sink: V2RelaySink = {
    datagram: (to, bytes) => this.sendV2(to, bytes),
    lines: (session, lines, firstSeq) => this.linesFrom(session, lines, firstSeq),
    heard: (session) => this.relay.heardFrom(this.now, session),
    ended: (session, reason) => this.relay.disconnectInto(this.now, session, this.coreSink, reason),
  };

  /** Acknowledgements waiting for the store's group commit (null without a store). */
  private readonly waiters: CommitWaiters | null;
  private releaseQueued = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly transport: DatagramTransport,
    private readonly relay: Relay,
    private readonly v2: V2RelayEndpoint,
    private readonly options: RouterOptions,
  ) {
    this.batching = transport.batchesNatively;
    const store = relay.settings.store;
    this.waiters = store === null ? null : new CommitWaiters(store);
    this.unsubscribe =
      store?.subscribe({ committed: () => this.committedSoon(), failed: () => {} }) ?? (() => {});
  }

  /**
   * Runs `acknowledge` once what the relay did so far is durable (a stream client's acknowledgement,
   * stream-gateway.ts's AckGate): at once without a store, or when nothing is waiting for a commit.
   */
  whenDurable(acknowledge: () => void): void {
    if (this.waiters === null) acknowledge();
    else this.waiters.whenDurable(this.now, acknowledge);
  }

  /**
   * A v2 session's lines go to the core; if that wrote anything not yet durable (a kept line, a room's
   * state), the session's acknowledgement stops below them until the group commit holding it is done.
   */
  private linesFrom(session: RelaySession, lines: readonly string[], firstSeq: number): void {
    const applied = this.options.applied;
    if (applied !== undefined) {
      this.linesInCluster(session, lines, firstSeq, applied);
      return;
    }
    const store = this.relay.settings.store;
    const before = store?.lastTicket ?? 0;
    this.relay.handleLinesInto(this.now, session, lines, this.coreSink);
    if (store === null || this.waiters === null || store.lastTicket === before || this.waiters.settled)
      return;
    const ticket = store.lastTicket;
    this.v2.holdAcks(session, firstSeq, ticket);
    this.waiters.after(ticket, (now) => this.v2.releaseAcks(now, session, ticket));
  }

  /** linesFrom in a cluster: the acknowledgement stops below lines the bus has not applied yet. */
  private linesInCluster(
    session: RelaySession,
    lines: readonly string[],
    firstSeq: number,
    applied: AppliedTickets,
  ): void {
    const before = applied.lastTicket;
    this.relay.handleLinesInto(this.now, session, lines, this.coreSink);
    if (applied.lastTicket === before || !applied.holding) return;
    const ticket = applied.lastTicket;
    this.v2.holdAcks(session, firstSeq, ticket);
    applied.after(ticket, (now) => this.v2.releaseAcks(now, session, ticket));
  }

  /**
   * The store committed: the waiting acknowledgements go out. Not from inside the store's call, which may
   * come while the core is mid-call (a history read commits what waits first).
   */
  private committedSoon(): void {
    if (this.releaseQueued) return;
    this.releaseQueued = true;
    this.options.defer(() => {
      this.releaseQueued = false;
      if (this.stopping || this.waiters === null || this.waiters.size === 0) return;
      this.now = this.options.clock();
      this.waiters.release(this.now);
      this.flushV1();
      this.v2.flush(this.now, this.v2Sink);
      this.flushV1();
    });
  }

  receive(now: number, from: Address, bytes: Uint8Array): void {
    this.now = now;
    if (isV2(bytes)) this.v2.handle(now, from, bytes, this.v2Sink);
    else if (this.options.strict) this.strictDrops++;
    else this.relay.handleInto(now, from, bytes, this.coreSink);
    this.flushV1();
    // Lines the core queued for v2 sessions (replies, broadcasts) leave in as few datagrams as possible.
    this.v2.flush(now, this.v2Sink);
    this.flushV1();
  }

  /**
   * One call into the core from a binding that is not a datagram (a stream connection's line, its end),
   * then what it produced is sent, as after a datagram. `watch` sees the events of this call only.
   */
  run(
    now: number,
    call: (sink: RelaySink) => void,
    watch: ((event: RelayEvent) => void) | null = null,
  ): void {
    this.now = now;
    this.watcher = watch;
    try {
      call(this.coreSink);
    } finally {
      this.watcher = null;
    }
    this.flushV1();
    this.v2.flush(now, this.v2Sink);
    this.flushV1();
  }

  tick(now: number): void {
    this.now = now;
    if (now >= this.relay.nextTickAt()) this.relay.tickInto(now, this.coreSink);
    this.flushV1();
    this.v2.tick(now, this.v2Sink);
    this.flushV1();
  }

  /** An event a binding decided itself (a stream line refused before the core saw it). */
  report(event: RelayEvent): void {
    this.options.onEvent(event);
  }

  nextTimeout(): number {
    const v2 = this.v2.nextTimeout();
    const core = this.relay.nextTickAt();
    return v2 === null ? core : Math.min(core, v2);
  }

  /** `*** server going down ***` to everyone, then CLOSE to every v2 session. */
  shutdown(now: number): void {
    this.now = now;
    this.relay.shutdownInto(now, this.coreSink);
    this.flushV1();
    this.stopping = true;
    this.unsubscribe();
    this.v2.closeAll(now, CLOSE_REASONS.shutdown, this.v2Sink);
  }

  private transmit(to: Address, payload: Uint8Array): void {
    if (to instanceof StreamPeer) to.connection.write(payload);
    else if (to instanceof RelaySession) this.v2.sendLine(to, this.textOf(payload));
    else if (this.stopping) {
      this.flushV1();
      this.transport.send(to, payload);
    } else if (this.batching) {
      this.batchTo[this.batched] = to;
      this.batchPayloads[this.batched] = payload;
      this.batched++;
    } else this.transport.sendUnawaited(to, payload);
  }

  /**
   * A sealed v2 datagram joins the same batch as v1's (every call into the v2 endpoint is followed by
   * flushV1): a broadcast to v2 sessions then leaves in one sendmmsg(2) per 64, not one send each.
   */
  private sendV2(to: Address, bytes: Uint8Array): void {
    if (this.batching && !this.stopping) {
      this.batchTo[this.batched] = to;
      this.batchPayloads[this.batched] = bytes;
      this.batched++;
    } else this.transport.sendUnawaited(to, bytes);
  }

  /** Sends the batched datagrams (v1's and v2's): at the end of each call into the cores. */
  private flushV1(): void {
    if (this.batched === 0) return;
    const count = this.batched;
    this.batched = 0;
    this.transport.sendBatch(this.batchTo, this.batchPayloads, count);
  }

  /** A broadcast hands every recipient the same payload: decode it once for all v2 recipients. */
  private textOf(payload: Uint8Array): string {
    if (payload !== this.lastPayload) {
      this.lastPayload = payload;
      const text = this.decoder.decode(payload);
      this.lastText = text.endsWith('\n') ? text.slice(0, -1) : text;
    }
    return this.lastText;
  }

  private coreEvent(event: RelayEvent): void {
    this.watcher?.(event);
    // A stream client that departed (left, evicted, dropped) has no use for its connection: what was
    // written to it leaves, then it closes. A connection that already ended ignores this.
    if (event.type === 'departed' && event.address instanceof StreamPeer) event.address.connection.end();
    if (event.type === 'departed' && event.address instanceof RelaySession && event.reason !== 'left') {
      // The core evicted a v2 client (silence, /kill): its session ends too, after the lines queued for it.
      this.flushV1();
      this.v2.flush(this.now, this.v2Sink);
      const reason = event.reason === 'timed out' ? CLOSE_REASONS.idle : CLOSE_REASONS.killed;
      this.v2.close(this.now, event.address, reason, this.v2Sink);
    }
    this.options.onEvent(event);
  }

  /**
   * Not awaited: scrypt runs on the thread pool, a history query in the store, while datagrams keep
   * flowing; the answer comes back here.
   */
  private runTask(task: RelayTask): void {
    if (task.type === 'history') {
      this.runHistory(task);
      return;
    }
    this.options.runTask(task, (id, ok) => {
      this.answer((now) => this.relay.secretCheckedInto(now, id, ok, this.coreSink));
    });
  }

  private runHistory(task: HistoryTask): void {
    const store = this.relay.settings.store;
    const read =
      this.options.history ??
      (store === null ? null : (key: string, query: HistoryTask['query']) => store.roomHistory(key, query));
    if (read === null) return;
    read(task.roomKey, task.query).then(
      (page) => this.answer((now) => this.relay.historyAnsweredInto(now, task.id, page, this.coreSink)),
      // A failed read answers with nothing rather than leave the asker waiting for its end marker.
      () => this.answer((now) => this.relay.historyAnsweredInto(now, task.id, NO_LINES, this.coreSink)),
    );
  }

  /** A late answer to a task: into the core at the clock's time, then sent like any other output. */
  private answer(call: (now: number) => void): void {
    if (this.stopping) return;
    this.now = this.options.clock();
    call(this.now);
    this.flushV1();
    this.v2.flush(this.now, this.v2Sink);
    this.flushV1();
  }
}
