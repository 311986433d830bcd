/**
 * Our outgoing lines (docs/PROTOCOL-v2.md, "Reliable, ordered delivery"): a bounded queue of lines not yet
 * sent, and the window of lines sent and not yet acknowledged, each with its own retransmission timer.
 *
 * - Window: a line is first sent only while its number is below the lowest live line + maxInFlight, so at
 *   most maxInFlight lines are ever live and the peer's receive window (128 > 64) can hold all of them.
 * - Timers: one per line (the spec doubles "on each timeout of the same line", and each line is given up on
 *   its own), deadline = last send + RTO·2^timeouts (RFC 6298 §5.5), capped at the maximum RTO.
 * - Fast retransmit: a line is re-sent at once when `fastRetransmitThreshold` lines transmitted after it are
 *   acknowledged while it is not (RFC 5681 §3.2's three duplicate ACKs; RFC 9002 §6.1.1's packet threshold,
 *   counted in transmissions so a retransmission is not judged by acks of older copies), at most once per RTO.
 * - Give-up: a line whose timer expires after maxRetransmissions retransmissions is abandoned and reported;
 *   SkipTracker then tells the peer.
 * - RTT: one sample per ack, from the highest newly acknowledged line (after RFC 9002 §5.1: the freshest
 *   line's round trip, least inflated by acks that were lost), Karn's rule applied (RFC 6298 §3).
 */

import { frameSize } from '../../protocol/v2/frame-codec.ts';
import type { AckInfo, LineFrame } from '../../protocol/v2/frames.ts';
import { ACK_BITMAP_BITS, isAcknowledged } from './ack-bitmap.ts';
import type { ReliableOptions } from './options.ts';
import type { RttEstimator } from './rtt-estimator.ts';
import { type PendingSkip, SkipTracker } from './skip-tracker.ts';

export type SendResult = { ok: true; seq: number } | { ok: false; reason: 'queue-full' | 'too-long' };

/** A line of ours the peer newly acknowledged, with the round trip it measured (null: no sample). */
export interface AckedLine {
  readonly seq: number;
  readonly rttMs: number | null;
}

export interface SendStats {
  /** Lines sent for the first time. */
  readonly linesSent: number;
  /** Every re-send, by timer or fast retransmit. */
  readonly retransmissions: number;
  readonly fastRetransmissions: number;
  readonly gaveUp: number;
  readonly linesAcked: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface QueuedLine {
  readonly seq: number;
  readonly text: string;
  readonly frameBytes: number;
}

interface LiveLine extends QueuedLine {
  transmissions: number;
  sentAt: number;
  /** Global transmission counter at its last send: "later" for fast retransmit means a higher value. */
  txOrder: number;
  /** Timer expiries so far: the back-off exponent. */
  timeouts: number;
  /** Retransmission deadline; null while a re-send is due. */
  deadline: number | null;
  due: 'timeout' | 'fast' | null;
  laterAcked: number;
  lastFastAt: number | null;
}

export class SendBuffer {
  readonly #options: ReliableOptions;
  readonly #rtt: RttEstimator;
  readonly #skip = new SkipTracker();
  /** Accepted, not yet sent, in sequence order. */
  readonly #queue: QueuedLine[] = [];
  /** Sent, not acknowledged nor abandoned. Inserted on first send, so iteration is in sequence order. */
  readonly #live = new Map<number, LiveLine>();
  #nextSeq = 0;
  #txCounter = 0;
  readonly #stats: Mutable<SendStats> = {
    linesSent: 0,
    retransmissions: 0,
    fastRetransmissions: 0,
    gaveUp: 0,
    linesAcked: 0,
  };

  constructor(options: ReliableOptions, rtt: RttEstimator) {
    this.#options = options;
    this.#rtt = rtt;
  }

  get queued(): number {
    return this.#queue.length;
  }

  get inFlight(): number {
    return this.#live.size;
  }

  /** Every re-send so far, without copying the stats (read on the relay's flush path). */
  get retransmissions(): number {
    return this.#stats.retransmissions;
  }

  get stats(): SendStats {
    return { ...this.#stats };
  }

  /** The lowest line neither acknowledged nor abandoned, or the next unsent one: the window's base. */
  get lowestLive(): number {
    for (const seq of this.#live.keys()) return seq;
    return this.#queue[0]?.seq ?? this.#nextSeq;
  }

  /** Every line accepted and neither acknowledged nor abandoned (sent or still queued), in order. */
  unconfirmed(): number[] {
    return [...this.#live.keys(), ...this.#queue.map((line) => line.seq)];
  }

  enqueue(text: string): SendResult {
    // A line must fit alone in a DATA; the seq's value does not change the size.
    const frameBytes = frameSize({ type: 'line', seq: this.#nextSeq, text });
    if (frameBytes > this.#options.maxFrameBytes) return { ok: false, reason: 'too-long' };
    if (this.#queue.length >= this.#options.maxSendQueue) return { ok: false, reason: 'queue-full' };
    const seq = this.#nextSeq;
    this.#nextSeq += 1;
    this.#queue.push({ seq, text, frameBytes });
    return { ok: true, seq };
  }

  /** Applies the peer's ack: drops acknowledged lines, samples the RTT, flags fast retransmissions. */
  onAck(now: number, ack: AckInfo): AckedLine[] {
    // A peer cannot have received what we never sent: clamp (the bitmap is then meaningless), so a confused
    // ack cannot acknowledge lines that are still queued.
    const firstUnsent = this.#firstUnsent();
    const sent: AckInfo = ack.next > firstUnsent ? { next: firstUnsent, bitmap: 0 } : ack;
    this.#skip.onPeerNext(sent.next);
    const newly: LiveLine[] = [];
    // The live lines are in sequence order and nothing above the bitmap's last bit can be acknowledged:
    // stop there rather than walk every line in flight.
    const beyond = sent.next + ACK_BITMAP_BITS;
    for (const line of this.#live.values()) {
      if (line.seq > beyond) break;
      if (isAcknowledged(line.seq, sent)) newly.push(line);
    }
    if (newly.length === 0) return [];
    for (const line of newly) this.#live.delete(line.seq);
    this.#stats.linesAcked += newly.length;
    this.#countLaterAcks(now, newly);
    return this.#withRttSample(now, newly);
  }

  /** Fires expired timers: lines out of retransmissions are abandoned (returned), the rest become due. */
  onTimeout(now: number): number[] {
    const failed: number[] = [];
    for (const line of this.#live.values()) {
      if (line.deadline === null || line.deadline > now) continue;
      if (line.transmissions - 1 >= this.#options.maxRetransmissions) {
        failed.push(line.seq);
        continue;
      }
      line.timeouts += 1;
      line.deadline = null;
      line.due = 'timeout';
    }
    for (const seq of failed) this.#abandon(seq);
    this.#skip.onTimeout(now);
    return failed;
  }

  /**
   * The path changed (a validated NAT rebinding): every line in flight becomes due at once, with its back-off
   * reset, since its timer was armed for the old path. A line out of retransmissions keeps its timer, which
   * gives it up. Returns how many lines became due.
   */
  resendOutstanding(): number {
    let due = 0;
    for (const line of this.#live.values()) {
      if (line.due !== null || line.transmissions - 1 >= this.#options.maxRetransmissions) continue;
      line.timeouts = 0;
      line.deadline = null;
      line.due = 'timeout';
      due++;
    }
    return due;
  }

  /** The earliest retransmission deadline (lines or SKIP), or null. Due re-sends are not timers. */
  nextTimeout(): number | null {
    let earliest = this.#skip.deadline;
    for (const line of this.#live.values()) {
      if (line.deadline !== null && (earliest === null || line.deadline < earliest)) earliest = line.deadline;
    }
    return earliest;
  }

  /** The SKIP the next DATA must carry, if any. */
  pendingSkip(): PendingSkip | null {
    return this.#skip.pending(this.lowestLive);
  }

  onSkipSent(now: number): void {
    this.#skip.onSent(now, this.#rtt.backedOffMs(this.#skip.timeouts));
  }

  /**
   * Takes the lines to send now within `budgetBytes` of frame space and `maxLinesPerData` frames, and records
   * them as sent: due re-sends first (oldest first, first fit), then new lines in order while the window allows.
   */
  takeLines(now: number, budgetBytes: number): LineFrame[] {
    const frames: LineFrame[] = [];
    let room = budgetBytes;
    const most = this.#options.maxLinesPerData;
    for (const line of this.#live.values()) {
      if (frames.length >= most) return frames;
      if (line.due === null || line.frameBytes > room) continue;
      this.#retransmit(now, line);
      frames.push({ type: 'line', seq: line.seq, text: line.text });
      room -= line.frameBytes;
    }
    const windowEnd = this.lowestLive + this.#options.maxInFlight;
    for (let head = this.#queue[0]; head !== undefined && head.seq < windowEnd; head = this.#queue[0]) {
      if (head.frameBytes > room || frames.length >= most) break;
      this.#queue.shift();
      this.#firstSend(now, head);
      frames.push({ type: 'line', seq: head.seq, text: head.text });
      room -= head.frameBytes;
    }
    return frames;
  }

  #firstUnsent(): number {
    return this.#queue[0]?.seq ?? this.#nextSeq;
  }

  #firstSend(now: number, queued: QueuedLine): void {
    const line: LiveLine = {
      ...queued,
      transmissions: 0,
      sentAt: now,
      txOrder: 0,
      timeouts: 0,
      deadline: null,
      due: null,
      laterAcked: 0,
      lastFastAt: null,
    };
    this.#live.set(line.seq, line);
    this.#transmit(now, line);
    this.#stats.linesSent += 1;
  }

  #retransmit(now: number, line: LiveLine): void {
    const fast = line.due === 'fast';
    if (fast) line.lastFastAt = now;
    this.#transmit(now, line);
    this.#stats.retransmissions += 1;
    if (fast) this.#stats.fastRetransmissions += 1;
  }

  #transmit(now: number, line: LiveLine): void {
    this.#txCounter += 1;
    line.transmissions += 1;
    line.sentAt = now;
    line.txOrder = this.#txCounter;
    line.deadline = now + this.#rtt.backedOffMs(line.timeouts);
    line.due = null;
    line.laterAcked = 0;
  }

  #abandon(seq: number): void {
    this.#live.delete(seq);
    this.#skip.onAbandon(seq);
    this.#stats.gaveUp += 1;
  }

  #countLaterAcks(now: number, newly: readonly LiveLine[]): void {
    // A line sent after every newly acknowledged one (the usual case: acks come in order) gains nothing:
    // it skips the inner walk, so an in-order ack costs one pass over the lines in flight, not two nested.
    let latestAcked = 0;
    for (const acked of newly) if (acked.txOrder > latestAcked) latestAcked = acked.txOrder;
    for (const line of this.#live.values()) {
      if (line.txOrder < latestAcked)
        for (const acked of newly) if (acked.txOrder > line.txOrder) line.laterAcked += 1;
      if (this.#shouldFastRetransmit(now, line)) {
        line.due = 'fast';
        line.deadline = null;
      }
    }
  }

  #shouldFastRetransmit(now: number, line: LiveLine): boolean {
    if (line.due !== null || line.laterAcked < this.#options.fastRetransmitThreshold) return false;
    // A line out of retransmissions waits for its timer, which gives it up.
    if (line.transmissions - 1 >= this.#options.maxRetransmissions) return false;
    return line.lastFastAt === null || now - line.lastFastAt >= this.#rtt.rtoMs;
  }

  /** RFC 9002 §5.1: sample only when the highest newly acknowledged line was sent once (Karn). */
  #withRttSample(now: number, newly: readonly LiveLine[]): AckedLine[] {
    const highest = newly[newly.length - 1];
    const acked: AckedLine[] = newly.map((line) => ({ seq: line.seq, rttMs: null }));
    if (highest === undefined) return acked;
    const rttMs = now - highest.sentAt;
    if (this.#rtt.sample(rttMs, highest.transmissions)) acked[acked.length - 1] = { seq: highest.seq, rttMs };
    return acked;
  }
}
