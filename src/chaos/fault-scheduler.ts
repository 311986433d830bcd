/**
 * What every datagram proxy of `udpchat chaos` does with one datagram: the pure fault model decides its
 * fate, this counts the decision and schedules each copy on a timer. The proxy only says how a copy leaves.
 */
import { decideFaults, type FaultDecision, type FaultSettings } from './fault-model.ts';
import type { RandomSource } from './prng.ts';

/** The counts of one stream of datagrams (a direction of the unicast proxy, or the multicast one). */
export interface DirectionStats {
  received: number;
  /** Copies handed to the socket, duplicates included. */
  forwarded: number;
  dropped: number;
  /** Datagrams that were sent twice. */
  duplicated: number;
  /** Copies held back by the reorder hold. */
  reordered: number;
}

/**
 * A stream with its own random source, so with a fixed --seed the n-th datagram of a stream always meets
 * the same fate, however the streams interleave in time.
 */
export interface FaultStream {
  readonly random: RandomSource;
  readonly stats: DirectionStats;
}

export function emptyDirectionStats(): DirectionStats {
  return { received: 0, forwarded: 0, dropped: 0, duplicated: 0, reordered: 0 };
}

export class FaultScheduler {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly faults: FaultSettings,
    private readonly trace: ((line: string) => void) | undefined,
  ) {}

  /**
   * Decides the datagram's fate, counts it and schedules `send` once per copy; returns the longest delay
   * scheduled (ms). `label` names the datagram in the trace (`up 127.0.0.1:40000`).
   */
  forward(stream: FaultStream, label: string, bytes: Uint8Array, send: () => void): number {
    const { stats } = stream;
    stats.received++;
    const decision = decideFaults(this.faults, stream.random);
    this.trace?.(describeDecision(label, bytes, decision));
    if (decision.dropped) {
      stats.dropped++;
      return 0;
    }
    if (decision.deliveries.length > 1) stats.duplicated++;
    let longest = 0;
    for (const delivery of decision.deliveries) {
      if (delivery.reordered) stats.reordered++;
      longest = Math.max(longest, delivery.delayMs);
      this.after(delivery.delayMs, send);
    }
    return longest;
  }

  /** Discards every copy not yet sent. */
  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private after(delayMs: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, delayMs);
    this.timers.add(timer);
  }
}

/** e.g. `fault up 127.0.0.1:40000 12B drop` or `fault down 127.0.0.1:40000 12B 21ms 74ms(held)`. */
function describeDecision(label: string, bytes: Uint8Array, decision: FaultDecision): string {
  const head = `fault ${label} ${bytes.byteLength}B`;
  if (decision.dropped) return `${head} drop`;
  const copies = decision.deliveries.map((d) => `${Math.round(d.delayMs)}ms${d.reordered ? '(held)' : ''}`);
  return `${head} ${copies.join(' ')}`;
}
