/** What `udpchat compare` runs: the scripted conversation, the fault model, and what it measures. */

/** The four ways to the relay, in the order the report shows them. */
export const COMPARE_TRANSPORTS = ['udp-v1', 'udp-v2', 'tcp', 'ws'] as const;
export type CompareTransport = (typeof COMPARE_TRANSPORTS)[number];

export const TRANSPORT_NAMES: Readonly<Record<CompareTransport, string>> = {
  'udp-v1': 'UDP v1',
  'udp-v2': 'UDP v2',
  tcp: 'TCP',
  ws: 'WebSocket',
};

/**
 * `netns`: the relay and the clients in a network namespace of their own whose loopback drops packets at
 * random (iptables' statistic match): real loss, repaired by TCP and v2 themselves. `chaos`: the chaos
 * proxies in between (UDP: loss and delay; TCP: delay and stalls), for machines without root or iptables.
 */
export type FaultModel = 'netns' | 'chaos';

export interface CompareSettings {
  readonly transports: readonly CompareTransport[];
  /** Clients in the room; each sends `lines` lines and receives everyone else's. */
  readonly clients: number;
  readonly lines: number;
  /** Lines per second each client sends. */
  readonly rate: number;
  /** Probability that a packet (netns) or datagram (chaos) is dropped; chaos --tcp stalls with it. */
  readonly loss: number;
  /** chaos only: one-way delay and its jitter. */
  readonly delayMs: number;
  readonly jitterMs: number;
  /** Idle clients per transport for the memory measurement. */
  readonly idleClients: number;
  /** The relay's idle timeout: how long silence takes to become a departure. */
  readonly deadAfterMs: number;
  readonly seed: number;
}

/** Clients ping this often, well inside `deadAfterMs`, so only the dead peer goes silent. */
export function pingIntervalFor(settings: CompareSettings): number {
  return Math.max(200, Math.floor(settings.deadAfterMs / 4));
}
