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

/** A claim the bus could not answer (closed, backlog full) is refused like a taken nick, never granted. */
const UNANSWERED_CLAIM: NickClaim = { ok: false, owner: '' };

export class ClusterLink {
  private relay: Relay | null = null;
  private run: ((call: CoreCall) => void) | null = null;
  private statusNow: ClusterStatus;

  constructor(
    readonly bus: ClusterBus,
    private readonly observer: ClusterLinkObserver = {},
  ) {
    this.statusNow = bus.status();
  }

  /** The listener to start the bus with; what it hears before `attach` is dropped (see attach). */
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
   * From now on the bus feeds `relay` through `run`. Whatever the bus heard before had no client here to
   * reach; what other relays serve is asked for again when the core learns the bus's state (inbound.ts).
   */
  attach(relay: Relay, run: (call: CoreCall) => void): void {
    this.relay = relay;
    this.run = run;
    const connected = this.statusNow.state === 'connected';
    this.enter((now, sink) => relay.clusterStatusInto(now, connected, sink));
  }

  /** The core's sink hands each action here, inside a core call: nothing here calls back into it. */
  act(action: ClusterAction): void {
    switch (action.type) {
      case 'line':
        this.settle(action.type, this.bus.publishLine(action.line));
        return;
      case 'direct':
        this.settle(action.type, this.bus.sendDirect(action.line));
        return;
      case 'claim':
        this.claim(action.id, action.nickKey, action.nick);
        return;
      case 'release':
        this.settle(action.type, this.bus.releaseNick(action.nickKey));
        return;
      case 'join':
        this.settle(
          action.type,
          this.bus.joinRoom(action.roomKey, { nickKey: action.nickKey, nick: action.nick }, action.reason),
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

  private claim(id: number, nickKey: string, nick: string): void {
    this.bus.claimNick(nickKey, nick).then(
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
  }

  private settle(type: ClusterAction['type'], done: Promise<unknown>): void {
    done.catch((error: unknown) => this.observer.failed?.(type, asFailure(error)));
  }

  /**
   * Into the core on a later microtask, never from inside the call that made the action (a bus may
   * answer synchronously); the microtask queue keeps the bus's order.
   */
  private enter(call: CoreCall): void {
    queueMicrotask(() => this.run?.(call));
  }
}
