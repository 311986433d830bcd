/**
 * The relay bound to a UDP socket and the clock: the v1 core and the v2 endpoint behind one router, one
 * timer for both. All decisions stay in the cores; this file only owns the lifecycle.
 */
import { performance } from 'node:perf_hooks';
import type { Address } from '../protocol/address.ts';
import { SHUTDOWN_GRACE_MS } from '../protocol/limits.ts';
import { systemRandom } from '../protocol/v2/crypto.ts';
import type { RelayEvent } from '../relay/output.ts';
import { Relay, type RelayOptions } from '../relay/relay.ts';
import { V2RelayEndpoint, type V2RelayStats } from '../session/relay-endpoint.ts';
import type { TraceSink, UdpStats } from '../transport/udp.ts';
import { UdpEndpoint } from '../transport/udp.ts';
import { DatagramRouter } from './datagram-router.ts';
import { ownAddressPredicate } from './own-address.ts';

export interface RelayServerOptions {
  readonly host: string;
  readonly port: number;
  /** The relay core's settings (timeouts, keep-alive mode, limits, accounts); defaults as documented. */
  readonly relay?: Omit<RelayOptions, 'isOwnAddress'>;
  readonly trace?: TraceSink;
  /** Called for each core event (joins, departures, refusals); never given a message body. */
  readonly onEvent?: (event: RelayEvent) => void;
  /** SO_RCVBUF / SO_SNDBUF requests in bytes; the kernel caps them (net.core.rmem_max, wmem_max). */
  readonly recvBufferSize?: number;
  readonly sendBufferSize?: number;
  /** Sender threads for the fan-out (`--send-threads`); 0 or omitted: sends on the event loop. */
  readonly sendThreads?: number;
  /** `--strict`: only v2 (address-validated) clients; v1 datagrams are dropped unanswered. */
  readonly strict?: boolean;
  /** Most v2 sessions at once. */
  readonly maxV2Sessions?: number;
}

const DEFAULT_MAX_V2_SESSIONS = 100_000;

/** What /metrics and /healthz read, at scrape time only: live references and plain numbers. */
export interface RelayVitals {
  readonly udp: Readonly<UdpStats>;
  readonly clients: number;
  readonly rooms: number;
  /** False once shutdown began (the socket is closing or closed). */
  readonly running: boolean;
  /** How late the reaper's timer is; it grows without bound if the relay loop stopped. */
  readonly tickOverdueMs: number;
  readonly v2: Readonly<V2RelayStats>;
  readonly v2Sessions: number;
  readonly strictDrops: number;
}

export class RelayServer {
  private timer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private tickDueAt = performance.now();

  private constructor(
    private readonly endpoint: UdpEndpoint,
    private readonly relay: Relay,
    private readonly v2: V2RelayEndpoint,
    private readonly router: DatagramRouter,
  ) {
    endpoint.onDatagram((from, bytes) => {
      router.receive(performance.now(), from, bytes);
      this.wakeEarlier(v2.nextTimeout());
    });
    this.schedule();
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
    const relay = new Relay(
      { ...options.relay, isOwnAddress: ownAddressPredicate(endpoint.local) },
      performance.now(),
    );
    const v2 = new V2RelayEndpoint({
      random: systemRandom,
      maxSessions: options.maxV2Sessions ?? DEFAULT_MAX_V2_SESSIONS,
      maxPerHost: relay.settings.maxPerAddress,
      idleTimeoutMs: relay.settings.idleTimeoutMs,
      keepAliveS: 10,
    });
    const router = new DatagramRouter(endpoint, relay, v2, {
      strict: options.strict ?? false,
      onEvent: options.onEvent ?? (() => {}),
    });
    return new RelayServer(endpoint, relay, v2, router);
  }

  get address(): Address {
    return this.endpoint.local;
  }

  /** Sender threads actually running: 0 when sending on the event loop (none asked, or no addon). */
  get sendThreads(): number {
    return this.endpoint.sendThreads;
  }

  get clientCount(): number {
    return this.relay.sessions.size;
  }

  get sendErrors(): number {
    return this.endpoint.stats.sendErrors;
  }

  vitals(): RelayVitals {
    return {
      udp: this.endpoint.stats,
      clients: this.relay.sessions.size,
      rooms: this.relay.rooms.size,
      running: this.stopping === undefined,
      tickOverdueMs: Math.max(0, performance.now() - this.tickDueAt),
      v2: this.v2.stats,
      v2Sessions: this.v2.sessionCount,
      strictDrops: this.router.strictDrops,
    };
  }

  /** Announces `*** server going down ***` to every client, lets it leave, then closes the socket. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    clearTimeout(this.timer);
    this.router.shutdown(performance.now());
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      this.endpoint.flush(),
      new Promise<void>((resolve) => {
        grace = setTimeout(resolve, SHUTDOWN_GRACE_MS);
      }),
    ]);
    clearTimeout(grace);
    await this.endpoint.close();
  }

  /** Re-arms the timer when new work is due before it would fire (one comparison per datagram). */
  private wakeEarlier(due: number | null): void {
    if (due === null || due >= this.tickDueAt || this.stopping !== undefined) return;
    clearTimeout(this.timer);
    this.schedule();
  }

  private schedule(): void {
    const delay = Math.max(0, this.router.nextTimeout() - performance.now());
    this.tickDueAt = performance.now() + delay;
    this.timer = setTimeout(() => {
      this.router.tick(performance.now());
      this.schedule();
    }, delay);
  }
}
