/**
 * The relay bound to a datagram transport and a clock: the v1 core and the v2 endpoint behind one router,
 * one timer for both. All decisions stay in the cores; this file only owns the lifecycle. `start` binds a
 * UDP socket; `over` runs the same relay on any DatagramTransport with injected time, timers and
 * randomness (the in-memory network of test/sim). Stream listeners (TCP, the web client's WebSocket) are
 * started beside the socket when asked for; their clients meet the UDP ones in the same core.
 */
import type { Address } from '../protocol/address.ts';
import { SHUTDOWN_GRACE_MS, STREAM_IDLE_FACTOR } from '../protocol/limits.ts';
import type { RandomSource } from '../protocol/v2/crypto.ts';
import { DEFAULT_MAX_SESSIONS } from '../protocol/v2/limits.ts';
import type { RelayIdentity } from '../protocol/v2/relay-identity.ts';
import type { ClusterStatus } from '../relay/cluster-bus.ts';
import type { RelayEvent } from '../relay/output.ts';
import { Relay, type RelayOptions } from '../relay/relay.ts';
import { V2RelayEndpoint, type V2RelayStats } from '../session/relay-endpoint.ts';
import type { ReliableOptions } from '../session/reliable/options.ts';
import type { ProtectedObserver } from '../session/session-link.ts';
import { MemoryStore } from '../store/memory/memory-store.ts';
import type { DatagramTransport } from '../transport/datagram-transport.ts';
import { type Clock, systemClock } from '../transport/system-clock.ts';
import { systemRandom } from '../transport/system-random.ts';
import { type CancelTimer, systemTimers, type TimerScheduler } from '../transport/system-timers.ts';
import type { TraceSink } from '../transport/trace-sink.ts';
import type { TransportStats } from '../transport/transport-stats.ts';
import { UdpEndpoint } from '../transport/udp.ts';
import type { ClusterLink, CoreCall } from './cluster-link.ts';
import { DatagramRouter } from './datagram-router.ts';
import { ownAddressPredicate } from './own-address.ts';
import { runOnThreadPool, type TaskRunner } from './secret-checker.ts';
import { type StreamCore, StreamGateway } from './stream-gateway.ts';
import { StreamListeners, type StreamListenOptions, type StreamVitals } from './stream-listeners.ts';

/** What the relay is, whatever carries its datagrams. */
export interface RelayCoreOptions {
  /** The relay core's settings (timeouts, keep-alive mode, limits, accounts); defaults as documented. */
  readonly relay?: Omit<RelayOptions, 'isOwnAddress'>;
  /** Called for each core event (joins, departures, refusals); never given a message body. */
  readonly onEvent?: (event: RelayEvent) => void;
  /** `--strict`: only v2 (address-validated) clients; v1 datagrams are dropped unanswered. */
  readonly strict?: boolean;
  /** Most v2 sessions at once. */
  readonly maxV2Sessions?: number;
  /** The relay's long-term identity (its identity file); absent: a throwaway one, drawn at start. */
  readonly identity?: RelayIdentity;
  /**
   * Protocol v2's timers and windows: the reliable channel's settings, the idle timeout of a session
   * (default: the core's idle timeout) and the keep-alive ACCEPT asks for (default: a third of the idle
   * timeout, at most 10 s; accept-timers.ts).
   */
  readonly v2?: {
    readonly channel?: Partial<ReliableOptions>;
    readonly idleTimeoutMs?: number;
    readonly keepAliveMs?: number;
    readonly challengeRetryMs?: number;
    /** Told what each protected datagram held as the relay sealed or opened it (`--trace`); never a key. */
    readonly observer?: ProtectedObserver;
  };
  /**
   * The cluster this relay is part of (`--cluster`): the core's cluster actions run on its bus, what the
   * bus hears comes back into the core, and `/history` is answered from the cluster's room streams.
   * Absent: a relay on its own.
   */
  readonly cluster?: ClusterLink;
}

export interface RelayServerOptions extends RelayCoreOptions {
  readonly host: string;
  readonly port: number;
  readonly trace?: TraceSink;
  /** SO_RCVBUF / SO_SNDBUF requests in bytes; the kernel caps them (net.core.rmem_max, wmem_max). */
  readonly recvBufferSize?: number;
  readonly sendBufferSize?: number;
  /** Sender threads for the fan-out (`--send-threads`); 0 or omitted: sends on the event loop. */
  readonly sendThreads?: number;
  /** TCP (on `host`) and the web client, each off unless given. */
  readonly streams?: StreamListenOptions;
}

/** The binding's outside world; `start` uses the system's, `over` may be handed any of them. */
export interface RelayServices {
  readonly clock: Clock;
  readonly timers: TimerScheduler;
  readonly random: RandomSource;
  readonly runTask: TaskRunner;
  /** Unix ms, for the server time of kept lines (the monotonic `clock` means nothing after a restart). */
  readonly wallClock: () => number;
}

const SYSTEM_SERVICES: RelayServices = {
  wallClock: () => Date.now(),
  clock: systemClock,
  timers: systemTimers,
  random: systemRandom,
  runTask: runOnThreadPool,
};

/** What /metrics and /healthz read, at scrape time only: live references and plain numbers. */
export interface RelayVitals {
  readonly udp: Readonly<TransportStats>;
  readonly clients: number;
  readonly rooms: number;
  /** False once shutdown began (the socket is closing or closed). */
  readonly running: boolean;
  /** How late the reaper's timer is; it grows without bound if the relay loop stopped. */
  readonly tickOverdueMs: number;
  readonly v2: Readonly<V2RelayStats>;
  readonly v2Sessions: number;
  readonly strictDrops: number;
  readonly tcp: StreamVitals | null;
  readonly ws: StreamVitals | null;
  /** The cluster bus's state (connected, degraded with its reason, ...), or null for a relay on its own. */
  readonly cluster: ClusterStatus | null;
}

export class RelayServer {
  private cancelTimer: CancelTimer = () => {};
  private stopping: Promise<void> | undefined;
  private tickDueAt: number;
  private readonly clock: Clock;
  private readonly timers: TimerScheduler;
  private streams = StreamListeners.none();

  private constructor(
    private readonly transport: DatagramTransport,
    private readonly relay: Relay,
    private readonly v2: V2RelayEndpoint,
    private readonly router: DatagramRouter,
    services: RelayServices,
    /** Sender threads actually running (a UDP endpoint's; 0 for any other transport). */
    readonly sendThreads: number,
    private readonly cluster: ClusterLink | null,
  ) {
    this.clock = services.clock;
    this.timers = services.timers;
    this.tickDueAt = this.clock();
    transport.onDatagram((from, bytes) => {
      router.receive(this.clock(), from, bytes);
      this.wakeEarlier(v2.nextTimeout());
    });
    this.schedule();
    cluster?.attach(relay, (call) => this.enterCore(call));
  }

  static async start(options: RelayServerOptions): Promise<RelayServer> {
    const endpoint = await UdpEndpoint.bind({
      host: options.host,
      port: options.port,
      ...(options.trace ? { trace: options.trace } : {}),
      ...(options.recvBufferSize ? { recvBufferSize: options.recvBufferSize } : {}),
      ...(options.sendBufferSize ? { sendBufferSize: options.sendBufferSize } : {}),
      ...(options.sendThreads ? { sendThreads: options.sendThreads } : {}),
    });
    const server = RelayServer.assemble(endpoint, options, SYSTEM_SERVICES, endpoint.sendThreads);
    if (options.streams === undefined) return server;
    try {
      await server.listenForStreams(options.streams, options.trace);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  /** Starts the TCP and web listeners asked for; each connection becomes a peer of this relay's core. */
  async listenForStreams(options: StreamListenOptions, trace?: TraceSink): Promise<void> {
    const core: StreamCore = {
      relay: this.relay,
      run: (call, watch) => {
        const now = this.clock();
        this.router.run(now, (sink) => call(now, sink), watch ?? null);
        this.wakeEarlier(this.v2.nextTimeout());
      },
      event: (event) => this.router.report(event),
    };
    // A web client's acknowledgement, like a v2 one, leaves only once the store holds what it acknowledges.
    const gateway = new StreamGateway(core, (_peer, acknowledge) => this.router.whenDurable(acknowledge));
    const idleTimeoutMs = this.relay.settings.idleTimeoutMs * STREAM_IDLE_FACTOR;
    const common = { idleTimeoutMs, ...(trace ? { trace } : {}) };
    this.streams = await StreamListeners.start(this.transport.local.host, options, common, gateway.accept);
  }

  /** The relay on a transport someone else bound; the services it is not given are the system's. */
  static over(
    transport: DatagramTransport,
    options: RelayCoreOptions = {},
    services: Partial<RelayServices> = {},
  ): RelayServer {
    return RelayServer.assemble(transport, options, { ...SYSTEM_SERVICES, ...services }, 0);
  }

  private static assemble(
    transport: DatagramTransport,
    options: RelayCoreOptions,
    services: RelayServices,
    sendThreads: number,
  ): RelayServer {
    // Without a store of its own (--db), the relay keeps history in memory: /history works, nothing lasts.
    const store = options.relay?.store ?? new MemoryStore({ clock: services.wallClock });
    const cluster = options.cluster ?? null;
    const relay = new Relay(
      {
        ...options.relay,
        ...(cluster === null ? {} : { clusterNode: cluster.bus.nodeId }),
        store,
        wallClock: services.wallClock,
        random: services.random,
        isOwnAddress: ownAddressPredicate(transport.local),
      },
      services.clock(),
    );
    const v2 = new V2RelayEndpoint({
      random: services.random,
      // From the identity file (--identity, or beside --db): after a restart, a REJECT 4 to a previous
      // session is believed at once, and pinned clients see the same key. Absent: a throwaway identity.
      ...(options.identity === undefined ? {} : { identity: options.identity }),
      maxSessions: options.maxV2Sessions ?? DEFAULT_MAX_SESSIONS,
      maxPerHost: relay.settings.maxPerAddress,
      idleTimeoutMs: options.v2?.idleTimeoutMs ?? relay.settings.idleTimeoutMs,
      ...(options.v2?.keepAliveMs === undefined ? {} : { keepAliveMs: options.v2.keepAliveMs }),
      ...(options.v2?.challengeRetryMs === undefined
        ? {}
        : { challengeRetryMs: options.v2.challengeRetryMs }),
      ...(options.v2?.channel ? { channel: options.v2.channel } : {}),
      ...(options.v2?.observer ? { observer: options.v2.observer } : {}),
    });
    const router = new DatagramRouter(transport, relay, v2, {
      strict: options.strict ?? false,
      onEvent: options.onEvent ?? (() => {}),
      clock: services.clock,
      runTask: services.runTask,
      defer: (run) => {
        services.timers(0, run);
      },
      ...(cluster === null
        ? {}
        : {
            cluster: (action) => cluster.act(action),
            history: (roomKey, query) => cluster.bus.roomHistory(roomKey, query),
            applied: cluster,
          }),
    });
    return new RelayServer(transport, relay, v2, router, services, sendThreads, cluster);
  }

  get address(): Address {
    return this.transport.local;
  }

  /** The TCP listener's address, or null without --tcp-port. */
  get tcpAddress(): Address | null {
    return this.streams.tcp;
  }

  /** The web client's URL, or null without --web. */
  get webUrl(): string | null {
    return this.streams.webUrl;
  }

  get webAddress(): Address | null {
    return this.streams.web;
  }

  get clientCount(): number {
    return this.relay.sessions.size;
  }

  get sendErrors(): number {
    return this.transport.stats.sendErrors;
  }

  vitals(): RelayVitals {
    return {
      udp: this.transport.stats,
      clients: this.relay.sessions.size,
      rooms: this.relay.rooms.size,
      running: this.stopping === undefined,
      tickOverdueMs: Math.max(0, this.clock() - this.tickDueAt),
      v2: this.v2.stats,
      v2Sessions: this.v2.sessionCount,
      strictDrops: this.router.strictDrops,
      ...this.streams.vitals(),
      cluster: this.cluster?.status() ?? null,
    };
  }

  /** Announces `*** server going down ***` to every client, lets it leave, then closes the socket. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.cancelTimer();
    // What waits for a commit is committed first, so its acknowledgements leave before the goodbye.
    await this.relay.settings.store?.flush().catch(() => {});
    this.router.shutdown(this.clock());
    let cancelGrace: CancelTimer = () => {};
    await Promise.race([
      Promise.all([this.transport.flush(), this.streams.close()]),
      new Promise<void>((resolve) => {
        cancelGrace = this.timers(SHUTDOWN_GRACE_MS, resolve);
      }),
    ]);
    cancelGrace();
    await this.transport.close();
  }

  /** A call from the cluster bus (an event, an answer): into the core now, its output sent at once. */
  private enterCore(call: CoreCall): void {
    if (this.stopping !== undefined) return;
    const now = this.clock();
    this.router.run(now, (sink) => call(now, sink));
    this.wakeEarlier(this.v2.nextTimeout());
  }

  /** Re-arms the timer when new work is due before it would fire (one comparison per datagram). */
  private wakeEarlier(due: number | null): void {
    if (due === null || due >= this.tickDueAt || this.stopping !== undefined) return;
    this.cancelTimer();
    this.schedule();
  }

  private schedule(): void {
    const now = this.clock();
    const delay = Math.max(0, this.router.nextTimeout() - now);
    this.tickDueAt = now + delay;
    this.cancelTimer = this.timers(delay, () => {
      this.router.tick(this.clock());
      this.schedule();
    });
  }
}
