/** RelayVitals of an idle, running relay, with any field overridden: the shape /metrics and /healthz read. */
import type { RelayVitals } from '../../src/server/relay-server.ts';
import { noUdpStats } from '../../src/transport/udp.ts';
import { noV2RelayStats } from '../../src/v2/relay-endpoint.ts';

export function quietVitals(over: Partial<RelayVitals> = {}): RelayVitals {
  return {
    udp: noUdpStats(),
    clients: 0,
    rooms: 0,
    running: true,
    tickOverdueMs: 0,
    v2: noV2RelayStats(),
    v2Sessions: 0,
    strictDrops: 0,
    ...over,
  };
}
