/**
 * Sorts what a worker's clients receive: welcomes finish joins, /pong answers pings, relayed bench lines
 * of the current step go into its ReceiptBook, and anything else (join notices, refusals) is only counted.
 * This is the generator's hot path, so it looks at bytes and allocates nothing per datagram.
 */

import * as wire from '../../protocol/messages.ts';
import type { CollectReport, StepPlan } from '../messages.ts';
import { type BenchLine, parseRelayedBenchLine } from '../model/line-format.ts';
import { ReceiptBook } from '../model/receipts.ts';
import type { BenchClock } from './clock.ts';

const LESS = 0x3c;
const STAR = 0x2a;
const SLASH = 0x2f;
const AT = 0x40;
const SPACE = 0x20;
const WELCOME = Buffer.from(wire.WELCOME_PREFIX);
const PONG = Buffer.from(wire.PONG);

export interface WelcomeSink {
  welcomed(local: number): void;
}

interface CurrentStep {
  readonly step: number;
  readonly book: ReceiptBook;
  readonly clock: BenchClock;
}

export class DatagramSorter {
  /** Datagrams other than /pong: when this stops growing, the relay has nothing left in flight for us. */
  busyDatagrams = 0;
  pongs = 0;
  private stray = 0;
  private current: CurrentStep | undefined;
  private readonly line: BenchLine = { step: 0, sender: 0, seq: 0, sentUs: 0 };

  constructor(private readonly joins: WelcomeSink) {}

  beginStep(plan: StepPlan, receivers: number, clock: BenchClock): void {
    const book = new ReceiptBook({ receivers, senders: plan.totalSenders, maxSeq: plan.maxSeq });
    this.current = { step: plan.step, book, clock };
    this.stray = 0;
  }

  /** Ends the step: later arrivals of its lines are stragglers. */
  endStep(): CollectReport {
    const current = this.current;
    if (current === undefined) throw new Error('no step is running');
    this.current = undefined;
    const stray = this.stray;
    this.stray = 0;
    return { receipts: current.book.summary(), stray };
  }

  /** `receivedNs`: when the datagram reached the socket (see Fleet); else the time of this call. */
  sort(local: number, bytes: Buffer, receivedNs?: number): void {
    const first = bytes[0];
    if (first === SLASH && startsWith(bytes, PONG)) {
      this.pongs++;
      return;
    }
    this.busyDatagrams++;
    if (first === LESS) this.benchLine(local, bytes, receivedNs);
    else if (first === AT) this.taggedLine(local, bytes, receivedNs);
    else if (first === STAR && startsWith(bytes, WELCOME)) this.joins.welcomed(local);
  }

  /**
   * A v2 session's chat line carries its tags first (`@msgid=7;time=... <nick> b ...`, see
   * protocol/history-messages.ts): the line proper starts after the first space. A view, not a copy.
   */
  private taggedLine(local: number, bytes: Buffer, receivedNs: number | undefined): void {
    const space = bytes.indexOf(SPACE);
    if (space > 0 && bytes[space + 1] === LESS) this.benchLine(local, bytes.subarray(space + 1), receivedNs);
  }

  private benchLine(local: number, bytes: Buffer, receivedNs: number | undefined): void {
    const line = this.line;
    if (!parseRelayedBenchLine(bytes, line)) return;
    const current = this.current;
    if (current === undefined || line.step !== current.step) {
      this.stray++;
      return;
    }
    const receivedUs = receivedNs === undefined ? current.clock.nowUs() : current.clock.usAt(receivedNs);
    current.book.record(local, line.sender, line.seq, receivedUs - line.sentUs);
  }
}

function startsWith(bytes: Buffer, prefix: Buffer): boolean {
  return bytes.length >= prefix.length && bytes.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
}
