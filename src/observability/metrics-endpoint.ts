/**
 * `udpchat relay --metrics HOST:PORT`: the event counters, the event-loop lag monitor, the registry and
 * the HTTP server, started and stopped as one. The HTTP side is bound before the relay's socket so that
 * a bad address fails before any client can reach the relay, and so both addresses can be announced
 * together; until `attach` the relay counts as not running (`/healthz` 503).
 */
import { performance } from 'node:perf_hooks';
import type { RelayEvent } from '../relay/output.ts';
import type { RelayServer, RelayVitals } from '../relay-host/relay-server.ts';
import { type HttpAddress, httpUrl } from './http-address.ts';
import { MetricsHttpServer } from './http-metrics-server.ts';
import { RelayCounters } from './metrics-counters.ts';
import { EventLoopLagMonitor } from './metrics-loop-lag.ts';
import { createRelayRegistry } from './metrics-registry.ts';

/** The reaper's timer may run this late before the relay is reported unhealthy. */
export const HEALTH_TICK_GRACE_MS = 5_000;

export class MetricsEndpoint {
  private relay: RelayServer | undefined;

  private constructor(
    private readonly counters: RelayCounters,
    private readonly lag: EventLoopLagMonitor,
    private readonly http: MetricsHttpServer,
  ) {}

  static async start(where: HttpAddress): Promise<MetricsEndpoint> {
    const counters = new RelayCounters(performance.now());
    const lag = new EventLoopLagMonitor();
    let endpoint: MetricsEndpoint | undefined;
    const vitals = (): RelayVitals | undefined => endpoint?.relay?.vitals();
    const registry = createRelayRegistry({
      counters,
      vitals,
      lag: () => lag.read(),
      now: () => performance.now(),
      startedAtSeconds: Math.floor(Date.now() / 1000),
    });
    try {
      const http = await MetricsHttpServer.listen(where, {
        metrics: () => registry.metrics(),
        contentType: registry.contentType,
        healthy: () => isHealthy(vitals()),
        degraded: () => degradedReason(vitals()),
      });
      endpoint = new MetricsEndpoint(counters, lag, http);
      return endpoint;
    } catch (error) {
      lag.stop();
      throw error;
    }
  }

  /** The bound address (the real port when 0 was asked for). */
  get address(): HttpAddress {
    return this.http.address;
  }

  get url(): string {
    return httpUrl(this.http.address, '/metrics');
  }

  attach(relay: RelayServer): void {
    this.relay = relay;
  }

  /** Feeds one relay event into the counters; called on the hot path, so it only increments. */
  record(event: RelayEvent): void {
    this.counters.record(event);
  }

  async close(): Promise<void> {
    this.lag.stop();
    await this.http.close();
  }
}

export function isHealthy(vitals: RelayVitals | undefined): boolean {
  return vitals?.running === true && vitals.tickOverdueMs < HEALTH_TICK_GRACE_MS;
}

/** The cluster bus's state in one line when it is not connected (never a password), else null. */
export function degradedReason(vitals: RelayVitals | undefined): string | null {
  const cluster = vitals?.cluster ?? null;
  if (cluster === null || cluster.state === 'connected') return null;
  return `cluster ${cluster.state}: ${cluster.detail}`;
}
