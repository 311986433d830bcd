/**
 * The relay core bound to a cluster bus: each ClusterAction the core writes to its sink is run on the
 * bus (which is async and may be a server away), and what the bus says (events, claim answers, member
 * snapshots, its state) goes back into the core through `Relay.cluster*Into`. The core never sees the bus
 * and never imports a driver; this file is the only place the two meet.
 */
import { asFailure } from '../cluster/bus-error.ts';
import type { ClusterAction } from '../relay/cluster/actions.ts';
import type {
  ClusterBus,
  ClusterFailure,
  ClusterListener,
  ClusterStatus,
  NickClaim,
} from '../relay/cluster-bus.ts';
import type { RelaySink } from '../relay/output.ts';
import type { Relay } from '../relay/relay.ts';

/** One call into the core at the binding's time, whose output is then sent like any other. */
export type CoreCall = (now: number, sink: RelaySink) => void;

/** What the link is told besides the core: state changes and failures, for the log and /healthz. */
export interface ClusterLinkObserver {
  status?(status: ClusterStatus): void;
  fatal?(failure: ClusterFailure): void;
  /** A bus call that failed (the bus retries what it can; this is for the log). */
  failed?(action: ClusterAction['type'], failure: ClusterFailure): void;
}

/** Calls held for the core before it is attached (see `listener`). */
const MAX_CALLS_BEFORE_ATTACH = 65_536;

/** A claim the bus could not answer (closed, backlog full) is refused like a taken nick, never granted. */
const UNANSWERED_CLAIM: NickClaim = { ok: false, owner: '' };

/** What a v2 acknowledgement waits for in a cluster: the bus applying the lines it covers. */
export interface AppliedTickets {
  /** The ticket of the last line or private line handed to the bus (0 before any). */
  readonly lastTicket: number;
  /** False while the bus is away: then nothing waits (local service, see `after`). */
  readonly holding: boolean;
  /** Runs `run` (in a later core call) once every line up to `ticket` was applied, or the bus went away. */
  after(ticket: number, run: (now: number) => void): void;
}

export class ClusterLink implements AppliedTickets {
  private relay: Relay | null = null;
  private run: ((call: CoreCall) => void) | null = null;
  private statusNow: ClusterStatus;
  /** Lines and private lines handed to the bus, numbered; `applied` is the highest with all below done. */
  private issued = 0;
  private applied = 0;
  private readonly doneAhead = new Set<number>();
  private waiting: { readonly ticket: number; readonly run: (now: number) => void }[] = [];
  /** Calls into the core waiting for the next microtask (enter). */
  private queued: CoreCall[] = [];

  constructor(
    readonly bus: ClusterBus,
    private readonly observer: ClusterLinkObserver = {},
  ) {
    this.statusNow = bus.status();
  }

  /**
   * The listener to start the bus with. What it hears before `attach` waits for it (at most
   * MAX_CALLS_BEFORE_ATTACH calls): the rooms' state read at hello must reach the core before it serves.
   */
  get listener(): ClusterListener {
    return {
      event: (event) => this.enter((now, sink) => this.relay?.clusterEventInto(now, event, sink)),
      status: (status) => this.statusChanged(status),
      fatal: (failure) => this.observer.fatal?.(failure),
    };
  }

  status(): ClusterStatus {
    return this.statusNow;
  }

  /**
   * From now on the bus feeds `relay` through `run`, starting with what it heard before (the rooms'
   * state first of all), in one core call on the next microtask: before any datagram is handled. What
   * other relays serve is asked for again when the core learns the bus's state (inbound.ts).
   */
  attach(relay: Relay, run: (call: CoreCall) => void): void {
    this.relay = relay;
    this.run = run;
    const connected = this.statusNow.state === 'connected';
    this.queued.push((now, sink) => relay.clusterStatusInto(now, connected, sink));
    queueMicrotask(() => this.drain());
  }

  /** The core's sink hands each action here, inside a core call: nothing here calls back into it. */
  act(action: ClusterAction): void {
    switch (action.type) {
      case 'line':
        this.ticketed(action.type, this.bus.publishLine(action.line));
        return;
      case 'direct':
        this.ticketed(action.type, this.bus.sendDirect(action.line));
        return;
      case 'claim':
        this.claim(action.id, action.nickKey, action.nick, action.takeover === true);
        return;
      case 'release':
        this.settle(action.type, this.bus.releaseNick(action.nickKey));
        return;
      case 'join':
        this.settle(
          action.type,
          this.bus.joinRoom(action.roomKey, { nickKey: action.nickKey, nick: action.nick }, action.reason, {
            firstOperator: action.firstOperator,
          }),
        );
        return;
      case 'leave':
        this.settle(action.type, this.bus.leaveRoom(action.roomKey, action.nickKey, action.reason));
        return;
      case 'room':
        this.settle(action.type, this.bus.announceRoom(action.roomKey, action.by, action.change));
        return;
      case 'members':
        this.members(action.roomKey);
        return;
    }
  }

  get lastTicket(): number {
    return this.issued;
  }

  get holding(): boolean {
    return this.statusNow.state === 'connected';
  }

  after(ticket: number, run: (now: number) => void): void {
    if (ticket <= this.applied || !this.holding) this.enter((now) => run(now));
    else this.waiting.push({ ticket, run });
  }

  /**
   * A line's ticket is done when the bus applied it, or failed it for good (backlog full, closed): an
   * acknowledgement never waits for what will not come. Applies resolve in outbox order; the set keeps
   * the watermark right whatever the order.
   */
  private ticketed(type: ClusterAction['type'], done: Promise<unknown>): void {
    const ticket = ++this.issued;
    this.settle(type, done);
    done.then(
      () => this.ticketDone(ticket),
      () => this.ticketDone(ticket),
    );
  }

  private ticketDone(ticket: number): void {
    this.doneAhead.add(ticket);
    while (this.doneAhead.delete(this.applied + 1)) this.applied++;
    this.releaseWaiting((waiter) => waiter.ticket <= this.applied);
  }

  /** Runs the waiters at the head of the queue that `due` says may go, in ticket order. */
  private releaseWaiting(due: (waiter: { readonly ticket: number }) => boolean): void {
    let released = 0;
    while (released < this.waiting.length && due(this.waiting[released] as { ticket: number })) released++;
    if (released === 0) return;
    const runs = this.waiting.slice(0, released);
    this.waiting = this.waiting.slice(released);
    this.enter((now) => {
      for (const waiter of runs) waiter.run(now);
    });
  }

  /** `takeover`: a proven resumption (resume/restore.ts) takes the nick from the relay that issued its ticket. */
  private claim(id: number, nickKey: string, nick: string, takeover: boolean): void {
    this.bus.claimNick(nickKey, nick, { takeover }).then(
      (claim) => this.enter((now, sink) => this.relay?.clusterClaimedInto(now, id, claim, sink)),
      (error: unknown) => {
        this.observer.failed?.('claim', asFailure(error));
        this.enter((now, sink) => this.relay?.clusterClaimedInto(now, id, UNANSWERED_CLAIM, sink));
      },
    );
  }

  /** A snapshot that cannot be had now (degraded) is asked for again when the bus is back (inbound.ts). */
  private members(roomKey: string): void {
    this.bus.members(roomKey).then(
      (members) => this.enter((now, sink) => this.relay?.clusterMembersInto(now, roomKey, members, sink)),
      () => {},
    );
  }

  private statusChanged(status: ClusterStatus): void {
    const was = this.statusNow.state;
    this.statusNow = status;
    this.observer.status?.(status);
    const connected = status.state === 'connected';
    if (connected !== (was === 'connected'))
      this.enter((now, sink) => this.relay?.clusterStatusInto(now, connected, sink));
    // Away, the relay serves its own clients alone: their acknowledgements stop waiting for the bus.
    if (!connected) this.releaseWaiting(() => true);
  }

  private settle(type: ClusterAction['type'], done: Promise<unknown>): void {
    done.catch((error: unknown) => this.observer.failed?.(type, asFailure(error)));
  }

  /**
   * Into the core on a later microtask, never from inside the call that made the action (a bus may
   * answer synchronously). What arrives before that microtask runs (every event of one read of the
   * stream) goes in as one core call, in order, so its datagrams leave in one flush.
   */
  private enter(call: CoreCall): void {
    if (this.run === null) {
      // Before attach nothing drains the queue: it is held, bounded (a relay that starts under heavy
      // traffic drops what no client here could have heard; the rooms' state comes first).
      if (this.queued.length < MAX_CALLS_BEFORE_ATTACH) this.queued.push(call);
      return;
    }
    this.queued.push(call);
    if (this.queued.length > 1) return;
    queueMicrotask(() => this.drain());
  }

  private drain(): void {
    const calls = this.queued;
    this.queued = [];
    this.run?.((now, sink) => {
      for (const queued of calls) queued(now, sink);
    });
  }
}
