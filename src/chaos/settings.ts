/**
 * The chaos proxy's settings, as one typed object, and their limits. `udpchat chaos` fills it from its
 * flags (cli/chaos-flags.ts); tests build it the same way.
 */
import type { Address } from '../protocol/address.ts';
import type { FaultSettings } from './fault-model.ts';

export interface ChaosSettings {
  /** Where clients send; port 0 lets the kernel choose. */
  readonly listen: Address;
  /** Where every client's datagrams are forwarded. */
  readonly target: Address;
  readonly faults: FaultSettings;
  /** undefined: the proxy picks a random seed (and reports it in its summary). */
  readonly seed: number | undefined;
  readonly mappingTimeoutMs: number;
  readonly maxMappings: number;
}

/** Loopback by default: an open forwarder on every interface would let anyone reflect traffic at --to. */
export const DEFAULT_LISTEN_HOST = '127.0.0.1';
export const DEFAULT_MAPPING_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_MAPPINGS = 1024;
/** Each mapping holds a socket (a file descriptor and an ephemeral port); beyond this the host suffers. */
export const MAX_MAX_MAPPINGS = 16_384;
/** Delay, jitter and hold are test conditions, not storage: a minute is already far past any UDP timeout. */
export const MAX_FAULT_DELAY_MS = 60_000;
/** setTimeout holds at most 2^31-1 ms; a day is plenty for an idle mapping. */
export const MAX_MAPPING_TIMEOUT_MS = 86_400_000;
/** The default reorder hold leaves this margin beyond the jitter window (see fault-model.ts). */
export const REORDER_MARGIN_MS = 50;

/** Everything sent within the margin after a held datagram overtakes it, however the jitter falls. */
export function defaultReorderHoldMs(jitterMs: number): number {
  return 2 * jitterMs + REORDER_MARGIN_MS;
}
/** `--tcp`: a stall is Linux's minimum retransmission timeout (200 ms), what one lost segment costs. */
export const DEFAULT_STALL_MS = 200;

/**
 * `udpchat chaos --multicast GROUP:PORT --to GROUP2:PORT`: peers send to `group`; the proxy hears it and
 * sends each datagram's faulted copies to `target`, the group the peers listen on (`chat --listen-group`).
 */
export interface MulticastChaosSettings {
  readonly group: Address;
  readonly target: Address;
  /** IP_MULTICAST_IF and the membership's interface, or null for the kernel's route. */
  readonly interfaceAddress: string | null;
  /** IP_MULTICAST_TTL of the copies, as `chat --ttl`. */
  readonly ttl: number;
  readonly faults: FaultSettings;
  readonly seed: number | undefined;
}
