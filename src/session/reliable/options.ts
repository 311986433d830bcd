/**
 * Settings of the reliable line channel (docs/PROTOCOL-v2.md, "Reliable, ordered delivery"), each
 * defaulting to src/protocol/v2/limits.ts.
 */
import { MAX_DATAGRAM_BYTES } from '../../protocol/limits.ts';
import * as limits from '../../protocol/v2/limits.ts';

export interface ReliableOptions {
  /** How long a lone in-order line may wait for its acknowledgement to ride on other traffic. */
  readonly ackDelayMs: number;
  /** RTO before the first RTT sample (the spec's 500 ms; RFC 6298 §2.1 says 1 s for TCP). */
  readonly initialRtoMs: number;
  /**
   * RTO clamp. RFC 6298 §2.4 floors RTO at 1 s and §2.5 allows a ceiling of at least 60 s; for interactive
   * chat the spec lowers both to 100 ms and 8 s, as QUIC and Linux lower the floor.
   */
  readonly minRtoMs: number;
  readonly maxRtoMs: number;
  /** RFC 6298's G: the clock granularity; RTO is at least SRTT + G. Node's timers tick in 1 ms. */
  readonly clockGranularityMs: number;
  /** A line is abandoned when its timer expires after this many retransmissions. */
  readonly maxRetransmissions: number;
  /** Later lines acknowledged before a line that trigger its fast retransmission. */
  readonly fastRetransmitThreshold: number;
  /** Lines sent and not acknowledged, counted as a span of sequence numbers from the lowest one. */
  readonly maxInFlight: number;
  /** Lines accepted by send() and not yet sent. */
  readonly maxSendQueue: number;
  /** The receiver accepts line numbers in [next, next + receiveWindow). */
  readonly receiveWindow: number;
  /** Frame space of one DATA: the datagram limit less the DATA header, numbers and tag. */
  readonly maxFrameBytes: number;
  /** LINE frames in one DATA: a client sends at most v1's 8 lines per datagram; the relay has no such bound. */
  readonly maxLinesPerData: number;
}

export const DEFAULT_RELIABLE_OPTIONS: ReliableOptions = {
  ackDelayMs: limits.ACK_DELAY_MS,
  initialRtoMs: limits.INITIAL_RTO_MS,
  minRtoMs: limits.MIN_RTO_MS,
  maxRtoMs: limits.MAX_RTO_MS,
  clockGranularityMs: 1,
  maxRetransmissions: limits.MAX_RETRANSMISSIONS,
  fastRetransmitThreshold: limits.FAST_RETRANSMIT_THRESHOLD,
  maxInFlight: limits.MAX_IN_FLIGHT,
  maxSendQueue: limits.MAX_SEND_QUEUE,
  receiveWindow: limits.RECEIVE_WINDOW,
  maxFrameBytes: MAX_DATAGRAM_BYTES - limits.DATA_OVERHEAD_BYTES,
  maxLinesPerData: Number.POSITIVE_INFINITY,
};

/** The longest line, in UTF-8 bytes, send() accepts: one that fits alone in a DATA (1,154 by default). */
export function maxLineBytes(options: ReliableOptions = DEFAULT_RELIABLE_OPTIONS): number {
  return options.maxFrameBytes - limits.LINE_FRAME_OVERHEAD_BYTES;
}

/** Fills in defaults and refuses settings the channel cannot work with (a RangeError names the field). */
export function resolveReliableOptions(options: Partial<ReliableOptions> = {}): ReliableOptions {
  const resolved: ReliableOptions = { ...DEFAULT_RELIABLE_OPTIONS, ...options };
  requireInteger(resolved, 'maxRetransmissions', 0);
  for (const name of ['fastRetransmitThreshold', 'maxInFlight', 'maxSendQueue', 'receiveWindow'] as const) {
    requireInteger(resolved, name, 1);
  }
  for (const name of ['ackDelayMs', 'clockGranularityMs', 'minRtoMs'] as const) {
    requireFinite(resolved, name, 0);
  }
  requireFinite(resolved, 'initialRtoMs', resolved.minRtoMs);
  requireFinite(resolved, 'maxRtoMs', resolved.initialRtoMs);
  if (resolved.minRtoMs <= 0) throw new RangeError('minRtoMs must be > 0');
  if (!(resolved.maxLinesPerData >= 1)) throw new RangeError('maxLinesPerData must be >= 1');
  if (maxLineBytes(resolved) < 1) throw new RangeError('maxFrameBytes leaves no room for a line');
  return resolved;
}

function requireInteger(options: ReliableOptions, name: keyof ReliableOptions, min: number): void {
  const value = options[name];
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer >= ${min}`);
}

function requireFinite(options: ReliableOptions, name: keyof ReliableOptions, min: number): void {
  const value = options[name];
  if (!Number.isFinite(value) || value < min) throw new RangeError(`${name} must be a number >= ${min}`);
}
