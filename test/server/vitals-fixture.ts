/** RelayVitals of an idle, running relay, with any field overridden: the shape /metrics and /healthz read. */
import type { RelayVitals } from '../../src/server/relay-server.ts';

export function quietVitals(over: Partial<RelayVitals> = {}): RelayVitals {
  return {
    udp: { datagramsIn: 0, bytesIn: 0, datagramsOut: 0, bytesOut: 0, sendErrors: 0 },
    clients: 0,
    rooms: 0,
    running: true,
    tickOverdueMs: 0,
    v2: {
      retries: 0,
      accepts: 0,
      rejects: 0,
      migrations: 0,
      challenges: 0,
      dropped: 0,
      retransmissions: 0,
      linesFailed: 0,
    },
    v2Sessions: 0,
    strictDrops: 0,
    ...over,
  };
}
