/** RelayVitals of an idle, running relay, with any field overridden: the shape /metrics and /healthz read. */
import type { RelayVitals } from '../../src/relay-host/relay-server.ts';
import { noV2RelayStats } from '../../src/session/relay-endpoint.ts';
import { noTransportStats } from '../../src/transport/transport-stats.ts';

export function quietVitals(over: Partial<RelayVitals> = {}): RelayVitals {
  return {
    udp: noTransportStats(),
    clients: 0,
    rooms: 0,
    running: true,
    tickOverdueMs: 0,
    v2: noV2RelayStats(),
    v2Sessions: 0,
    strictDrops: 0,
    tcp: null,
    ws: null,
    cluster: null,
    ...over,
  };
}
