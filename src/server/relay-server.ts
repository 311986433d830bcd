/**
 * The relay core bound to a UDP socket and the clock: datagrams in, transmits out, one timer for the
 * reaper. All decisions stay in `Relay`; this file only moves bytes and time.
 */
import { performance } from 'node:perf_hooks';
import type { Address } from '../protocol/address.ts';
import { SHUTDOWN_GRACE_MS } from '../protocol/limits.ts';
import type { RelayEvent, RelayOutput } from '../relay/output.ts';
import { Relay, type RelayOptions } from '../relay/relay.ts';
import type { TraceSink, UdpStats } from '../transport/udp.ts';
import { UdpEndpoint } from '../transport/udp.ts';
import { ownAddressPredicate } from './own-address.ts';
import { checkTasks } from './secret-checker.ts';

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
}

/** What /metrics and /healthz read, at scrape time only: live references and plain numbers. */
export interface RelayVitals {
  readonly udp: Readonly<UdpStats>;
  readonly clients: number;
  readonly rooms: number;
  /** False once shutdown began (the socket is closing or closed). */
  readonly running: boolean;
  /** How late the reaper's timer is; it grows without bound if the relay loop stopped. */
  readonly tickOverdueMs: number;
}

export class RelayServer {
  private timer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private tickDueAt = performance.now();

  private constructor(
    private readonly endpoint: UdpEndpoint,
    private readonly relay: Relay,
    private readonly onEvent: (event: RelayEvent) => void,
  ) {
    endpoint.onDatagram((from, bytes) => this.apply(this.relay.handle(performance.now(), from, bytes)));
    this.schedule();
  }

  static async start(options: RelayServerOptions): Promise<RelayServer> {
    const endpoint = await UdpEndpoint.bind({
      host: options.host,
      port: options.port,
      ...(options.trace ? { trace: options.trace } : {}),
      ...(options.recvBufferSize ? { recvBufferSize: options.recvBufferSize } : {}),
      ...(options.sendBufferSize ? { sendBufferSize: options.sendBufferSize } : {}),
    });
    const relay = new Relay(
      { ...options.relay, isOwnAddress: ownAddressPredicate(endpoint.local) },
      performance.now(),
    );
    return new RelayServer(endpoint, relay, options.onEvent ?? (() => {}));
  }

  get address(): Address {
    return this.endpoint.local;
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
    };
  }

  /** Announces `*** server going down ***` to every client, lets it leave, then closes the socket. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    clearTimeout(this.timer);
    this.apply(this.relay.shutdown(performance.now()));
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

  private apply(output: RelayOutput): void {
    for (const transmit of output.transmits) this.endpoint.send(transmit.to, transmit.payload);
    for (const event of output.events) this.onEvent(event);
    // Not awaited: scrypt runs on the thread pool while datagrams keep flowing; each verdict comes back here.
    if (output.tasks.length > 0) void checkTasks(output.tasks, (id, ok) => this.secretChecked(id, ok));
  }

  /** A login's verdict; after shutdown began the answer would go to a closing socket, so it is dropped. */
  private secretChecked(id: number, ok: boolean): void {
    if (this.stopping !== undefined) return;
    this.apply(this.relay.secretChecked(performance.now(), id, ok));
  }

  private schedule(): void {
    const delay = Math.max(0, this.relay.nextTickAt() - performance.now());
    this.tickDueAt = performance.now() + delay;
    this.timer = setTimeout(() => {
      this.apply(this.relay.tick(performance.now()));
      this.schedule();
    }, delay);
  }
}
