/**
 * What a set of receiving clients saw during one bench step: each bench line is identified by its sender
 * and that sender's sequence number, so duplicates, reordering and lateness are decided per (receiver,
 * sender) pair. Everything lives in typed arrays sized once per step (one bit per expected delivery, one
 * integer per pair), never one object per delivery: a worker may take in 100,000+ deliveries a second.
 */
import { LatencyHistogram, type SparseCounts } from './histogram.ts';

/** The rule: a delivery more than 100 ms after its line was sent counts as lost. */
export const LATE_AFTER_US = 100_000;

export interface ReceiptShape {
  /** Receiving clients this book covers (indexes 0..receivers-1). */
  readonly receivers: number;
  /** Senders in the whole run (ids 0..senders-1). */
  readonly senders: number;
  /** No sender sends more lines than this in the step (sequence numbers 0..maxSeq-1). */
  readonly maxSeq: number;
}

export interface ReceiptSummary {
  /** First arrivals within LATE_AFTER_US of sending. */
  readonly onTime: number;
  /** First arrivals after LATE_AFTER_US (lost by the rule, but they did arrive). */
  readonly late: number;
  readonly duplicates: number;
  /** First arrivals with a lower sequence number than one already seen from the same sender. */
  readonly outOfOrder: number;
  /** Lines that cannot belong to this step (sender or sequence out of range). */
  readonly invalid: number;
  readonly latency: SparseCounts;
  readonly maxLatencyUs: number;
}

export class ReceiptBook {
  private readonly seen: Uint8Array;
  private readonly lastSeq: Int32Array;
  private readonly histogram = new LatencyHistogram();
  private onTime = 0;
  private late = 0;
  private duplicates = 0;
  private outOfOrder = 0;
  private invalid = 0;

  constructor(private readonly shape: ReceiptShape) {
    const bits = shape.receivers * shape.senders * shape.maxSeq;
    this.seen = new Uint8Array(Math.ceil(bits / 8));
    this.lastSeq = new Int32Array(shape.receivers * shape.senders).fill(-1);
  }

  /** One delivery of `sender`'s line `seq` to `receiver`, `latencyUs` after it was sent. */
  record(receiver: number, sender: number, seq: number, latencyUs: number): void {
    const { receivers, senders, maxSeq } = this.shape;
    if (
      receiver < 0 ||
      receiver >= receivers ||
      sender < 0 ||
      sender >= senders ||
      seq < 0 ||
      seq >= maxSeq
    ) {
      this.invalid++;
      return;
    }
    const pair = receiver * senders + sender;
    const bit = pair * maxSeq + seq;
    const byte = bit >>> 3;
    const mask = 1 << (bit & 7);
    const current = this.seen[byte] ?? 0;
    if ((current & mask) !== 0) {
      this.duplicates++;
      return;
    }
    this.seen[byte] = current | mask;
    if (seq < (this.lastSeq[pair] ?? -1)) this.outOfOrder++;
    else this.lastSeq[pair] = seq;
    if (latencyUs > LATE_AFTER_US) this.late++;
    else this.onTime++;
    this.histogram.record(latencyUs);
  }

  summary(): ReceiptSummary {
    return {
      onTime: this.onTime,
      late: this.late,
      duplicates: this.duplicates,
      outOfOrder: this.outOfOrder,
      invalid: this.invalid,
      latency: this.histogram.toSparse(),
      maxLatencyUs: this.histogram.max,
    };
  }
}
