/**
 * The reliable, ordered line channel of one v2 session, one side (docs/PROTOCOL-v2.md, "Reliable, ordered
 * delivery"): the relay keeps one per client, the client one. Sans-I/O (docs/ARCHITECTURE.md): it
 * never reads a clock, sets a timer or builds a datagram; it takes `now` (ms, any monotonic origin) and
 * deals in frames and ack info, which the wire codec turns into DATA datagrams.
 *
 * How a binding drives it:
 *   send(text)                    application line → queued (or refused: 'queue-full', 'too-long')
 *   receive(now, ack, frames)     one authenticated DATA from the peer → lines delivered, ours acknowledged
 *   onTimeout(now)                when now >= nextTimeout(): fires retransmission timers → lines given up
 *   keepalive()                   queue a PING (the client calls it after its keep-alive without sending)
 *   resendOutstanding()           the path moved: every unacknowledged line is due at the next poll
 *   poll(now, budget)             after any of the above: call until null; each result is one DATA to send
 *   nextTimeout()                 when to call onTimeout (and poll) next; null: no timer is running
 *
 * poll() does not fire retransmission timers (onTimeout does, because give-ups are events), but it does send
 * a delayed ack whose deadline has passed, so calling onTimeout then poll at nextTimeout() covers both.
 * Due work that is not a timer (a fast retransmission, an immediate ack, a new line, a PING) is sent by the
 * poll loop that follows the call that created it, so nextTimeout() never reports it.
 *
 * After a give-up, SKIP rides in every DATA that has room for it until the peer's `ack next` passes the
 * abandoned lines, and on its own backed-off timer when nothing else is sent, so the peer learns of the gap
 * even when we fall silent.
 *
 * Delivered lines and gaps come as one ordered list, so "*** 2 lines lost ***" shows where the lines were
 * lost. `failed` lists our lines given up: the peer did not confirm them (it may still have got one whose
 * acks were all lost; it then delivers it, and reports no gap for it).
 *
 * Line numbers start at 0 and do not wrap: the wire's 4 bytes last 2^32 lines per direction and session.
 */

import { frameSize } from '../../protocol/v2/frame-codec.ts';
import type { AckInfo, Frame } from '../../protocol/v2/frames.ts';
import { buildAckInfo } from './ack-bitmap.ts';
import { AckPolicy } from './ack-policy.ts';
import { type ReliableOptions, resolveReliableOptions } from './options.ts';
import { type Delivery, ReceiveBuffer, type ReceiveStats } from './receive-buffer.ts';
import { RttEstimator } from './rtt-estimator.ts';
import { type AckedLine, SendBuffer, type SendResult, type SendStats } from './send-buffer.ts';

export type { Delivery } from './receive-buffer.ts';
export type { AckedLine, SendResult } from './send-buffer.ts';

export interface ChannelEvents {
  /** The peer's lines and gaps, strictly in order. */
  readonly delivered: readonly Delivery[];
  /** Our lines the peer newly acknowledged (the one that gave an RTT sample carries it). */
  readonly acked: readonly AckedLine[];
  /** Our lines given up after maxRetransmissions (only from onTimeout). */
  readonly failed: readonly number[];
}

/** One DATA's content: the frames, in this order (SKIP, PING, LINEs), and the ack it carries. */
export interface Outgoing {
  readonly frames: readonly Frame[];
  readonly ack: AckInfo;
}

export interface ChannelStats extends SendStats, ReceiveStats {
  readonly dataSent: number;
  /** DATA with no frames, sent for the ack alone. */
  readonly ackOnlySent: number;
  readonly skipsSent: number;
  readonly pingsSent: number;
}

interface AckHold {
  readonly fromSeq: number;
  readonly token: number;
}

const NO_EVENTS: ChannelEvents = { delivered: [], acked: [], failed: [] };
const PING: Frame = { type: 'ping' };
const PING_BYTES = frameSize(PING);
const SKIP_BYTES = frameSize({ type: 'skip', seq: 0 });

export class ReliableChannel {
  readonly options: ReliableOptions;
  readonly #rtt: RttEstimator;
  readonly #send: SendBuffer;
  readonly #receive: ReceiveBuffer;
  readonly #acks: AckPolicy;
  #pingPending = false;
  /** Acknowledgements held back (holdAcks), oldest first. */
  readonly #holds: AckHold[] = [];
  readonly #stats = { dataSent: 0, ackOnlySent: 0, skipsSent: 0, pingsSent: 0 };

  constructor(options: Partial<ReliableOptions> = {}) {
    this.options = resolveReliableOptions(options);
    this.#rtt = new RttEstimator(this.options);
    this.#send = new SendBuffer(this.options, this.#rtt);
    this.#receive = new ReceiveBuffer(this.options.receiveWindow);
    this.#acks = new AckPolicy(this.options.ackDelayMs);
  }

  /** Our lines sent and not yet acknowledged nor given up (at most maxInFlight). */
  /** Our lines not yet confirmed (in flight or queued): what a lost session takes with it. */
  unconfirmed(): number[] {
    return this.#send.unconfirmed();
  }

  get inFlight(): number {
    return this.#send.inFlight;
  }

  /** Our lines accepted and not yet sent (at most maxSendQueue). */
  get queued(): number {
    return this.#send.queued;
  }

  /** The peer's lines held for an earlier one (below receiveWindow). */
  get buffered(): number {
    return this.#receive.buffered;
  }

  /** The smoothed round-trip time (RFC 6298 SRTT), or null before the first sample. */
  get rttMs(): number | null {
    return this.#rtt.srttMs;
  }

  /** RFC 6298 RTTVAR: how much the round trip varies (the jitter `/lag` shows), or null before a sample. */
  get rttvarMs(): number | null {
    return this.#rtt.rttvarMs;
  }

  get rtoMs(): number {
    return this.#rtt.rtoMs;
  }

  /** Lines re-sent so far (by timer, fast retransmit or a path move): `stats.retransmissions`, uncopied. */
  get retransmissions(): number {
    return this.#send.retransmissions;
  }

  get stats(): ChannelStats {
    return { ...this.#send.stats, ...this.#receive.stats, ...this.#stats };
  }

  /** Queues one line (no `\n`); refused when the queue is full or it could never fit in a DATA. */
  send(text: string): SendResult {
    return this.#send.enqueue(text);
  }

  receive(now: number, ack: AckInfo, frames: readonly Frame[]): ChannelEvents {
    const acked = this.#send.onAck(now, ack);
    const delivered: Delivery[] = [];
    for (const frame of frames) this.#takeFrame(now, frame, delivered);
    return { delivered, acked, failed: [] };
  }

  onTimeout(now: number): ChannelEvents {
    const failed = this.#send.onTimeout(now);
    return failed.length === 0 ? NO_EVENTS : { ...NO_EVENTS, failed };
  }

  nextTimeout(): number | null {
    const line = this.#send.nextTimeout();
    const ack = this.#acks.deadline;
    if (line === null) return ack;
    return ack === null ? line : Math.min(line, ack);
  }

  /** The peer's address changed and was validated: re-send every unacknowledged line with the next poll. */
  resendOutstanding(): number {
    return this.#send.resendOutstanding();
  }

  keepalive(): void {
    this.#pingPending = true;
  }

  /**
   * The next DATA to send, or null when nothing is owed. Packing: a due SKIP (new give-up, or its timer)
   * and a pending PING are placed first; lines fill the rest of `budgetBytes`; a SKIP that is pending but
   * not due rides along whenever room remains. A line therefore never waits behind a SKIP for more than one
   * DATA, so any line that fits alone in a DATA is accepted. A DATA goes out when it carries a line, a PING
   * or a due SKIP, or an ack is due.
   */
  poll(now: number, budgetBytes: number = this.options.maxFrameBytes): Outgoing | null {
    const skip = this.#send.pendingSkip();
    const ping = this.#pingPending && budgetBytes >= PING_BYTES;
    // A due SKIP and a PING must go in this DATA: their room is set aside before the lines.
    const skipForced = skip?.due === true && budgetBytes >= (ping ? PING_BYTES : 0) + SKIP_BYTES;
    let room = budgetBytes - (ping ? PING_BYTES : 0) - (skipForced ? SKIP_BYTES : 0);
    const lines = this.#send.takeLines(now, room);
    if (lines.length === 0 && !ping && !skipForced && !this.#acks.due(now)) return null;
    for (const line of lines) room -= frameSize(line);
    const withSkip = skip !== null && (skipForced || room >= SKIP_BYTES);
    if (withSkip) this.#send.onSkipSent(now);
    this.#onDataSent(lines.length === 0 && !ping && !withSkip, withSkip, ping);
    // SKIP first: the receiver must move past abandoned lines before it judges the lines' window.
    const control: Frame[] = [...(withSkip ? [skip.frame] : []), ...(ping ? [PING] : [])];
    return { frames: [...control, ...lines], ack: this.#ackInfo() };
  }

  /**
   * Holds our acknowledgement below `fromSeq` (a line already delivered) until `releaseAcks` reaches
   * `token`: the application has the line but has not made it durable yet (a relay with --db acknowledges
   * a line only once its group commit holds it). Tokens must grow with each hold.
   */
  holdAcks(fromSeq: number, token: number): void {
    this.#holds.push({ fromSeq, token });
  }

  /**
   * Lifts the holds up to `token`; what they held back is acknowledged at once. Returns whether holds
   * remain.
   */
  releaseAcks(now: number, token: number): boolean {
    const before = this.#holds.length;
    while (this.#holds.length > 0 && (this.#holds[0] as AckHold).token <= token) this.#holds.shift();
    if (this.#holds.length !== before) this.#acks.onElicited(now, true);
    return this.#holds.length > 0;
  }

  /** The receive buffer's ack, unless a hold keeps it lower: then nothing above the hold is claimed. */
  #ackInfo(): AckInfo {
    const ceiling = this.#holds[0]?.fromSeq;
    if (ceiling === undefined || ceiling >= this.#receive.next) return this.#receive.ackInfo();
    return buildAckInfo(ceiling, () => false);
  }

  #takeFrame(now: number, frame: Frame, delivered: Delivery[]): void {
    switch (frame.type) {
      case 'line':
        this.#acks.onElicited(now, this.#receive.onLine(frame.seq, frame.text, delivered) !== 'in-order');
        return;
      case 'skip':
        // A stale SKIP means the sender has not seen our ack passing it: answer at once.
        this.#acks.onElicited(now, !this.#receive.onSkip(frame.seq, delivered));
        return;
      case 'ping':
        this.#acks.onElicited(now, true);
        return;
    }
  }

  #onDataSent(ackOnly: boolean, skip: boolean, ping: boolean): void {
    this.#acks.onAckSent();
    if (ping) this.#pingPending = false;
    this.#stats.dataSent += 1;
    if (ackOnly) this.#stats.ackOnlySent += 1;
    if (skip) this.#stats.skipsSent += 1;
    if (ping) this.#stats.pingsSent += 1;
  }
}
