/**
 * The receiving half of a LanPeer: every datagram from the group goes through the same gates, cheapest
 * first. The overall rate before any decryption (a flood costs little CPU), then the format and the group
 * key, then the sender's own rate (after authentication, so a forgery cannot spend a real sender's
 * allowance), then that sender's reorder buffer. What comes out in order is delivered by delivery.ts.
 */
import type { Address } from '../protocol/address.ts';
import type { GroupKey } from '../protocol/lan/group-key.ts';
import {
  INBOUND_TOTAL_BURST,
  INBOUND_TOTAL_RATE,
  KEY_MISMATCH_REPORT_BURST,
  KEY_MISMATCH_REPORT_RATE,
  MAX_DEPARTED_SENDERS,
  MAX_HELD_DATAGRAMS,
  MAX_KEY_MISMATCH_REPORTED,
  MAX_TIMED_OUT_SENDERS,
  SENDER_TIMEOUT_MS,
} from '../protocol/lan/limits.ts';
import { type MessageId, senderIdHex } from '../protocol/lan/message-id.ts';
import { decodeLanDatagram, type LanDecoded } from '../protocol/lan/wire.ts';
import { TokenBucket } from '../relay/token-bucket.ts';
import { type DeliveryContext, deliver } from './delivery.ts';
import { displayEvents } from './display-events.ts';
import type { LanEvent, LanKeyMismatchEvent, LanStats } from './events.ts';
import type { NickResolver } from './nick-resolver.ts';
import { RecencyMap } from './recency-map.ts';
import { type HeldDatagram, RemoteSender } from './remote-sender.ts';
import type { Released } from './reorder-buffer.ts';
import { SenderTable } from './sender-table.ts';
import { ShownLog } from './shown-log.ts';

export interface ReceiverOptions {
  readonly key: GroupKey | null;
  readonly resolver: NickResolver;
  /** Our current sender id (it changes at a sequence wrap). */
  readonly selfId: () => string;
  /** Whether a sender id is, or was, ours: the group loops our own datagrams back. */
  readonly isOwn: (senderId: string) => boolean;
}

/** How much the receiver holds: every figure has a fixed bound (limits.ts). */
export interface LanFootprint {
  readonly senders: number;
  readonly held: number;
  readonly shownSenders: number;
  readonly departed: number;
  readonly timedOut: number;
  readonly keyMismatchReported: number;
}

export class LanReceiver {
  readonly stats: LanStats = newStats();
  private readonly table = new SenderTable();
  private readonly shown = new ShownLog();
  private readonly departed = new RecencyMap<string, true>(MAX_DEPARTED_SENDERS);
  private readonly timedOut = new RecencyMap<string, true>(MAX_TIMED_OUT_SENDERS);
  private readonly mismatchReported = new RecencyMap<string, true>(MAX_KEY_MISMATCH_REPORTED);
  private readonly mismatchReports: TokenBucket;
  private readonly total: TokenBucket;
  private held = 0;
  private readonly context: DeliveryContext;

  constructor(
    private readonly options: ReceiverOptions,
    now: number,
  ) {
    this.total = new TokenBucket({ burst: INBOUND_TOTAL_BURST, perSecond: INBOUND_TOTAL_RATE }, now);
    const reports = { burst: KEY_MISMATCH_REPORT_BURST, perSecond: KEY_MISMATCH_REPORT_RATE };
    this.mismatchReports = new TokenBucket(reports, now);
    this.context = {
      resolver: options.resolver,
      shown: this.shown,
      stats: this.stats,
      departed: (sender) => this.depart(sender),
      displayChanges: (changes, out, arriving = null) =>
        displayEvents(changes, options.selfId(), arriving, out),
    };
  }

  handle(now: number, from: Address, bytes: Uint8Array, out: LanEvent[]): void {
    this.stats.received++;
    if (!this.total.take(now)) {
      this.stats.throttledTotal++;
      return;
    }
    const decoded = decodeLanDatagram(bytes, this.options.key);
    if (!decoded.ok) {
      this.undecodable(now, decoded, out);
      return;
    }
    const { datagram } = decoded;
    const senderId = senderIdHex(datagram.senderId);
    const id: MessageId = { senderId, sequence: datagram.sequence };
    if (this.options.isOwn(senderId)) {
      this.stats.own++;
      return;
    }
    if (this.departed.has(senderId)) {
      this.stats.departed++;
      return;
    }
    const sender = this.senderFor(now, from, id, out);
    if (sender === null) return;
    if (!sender.bucket.take(now)) {
      this.stats.throttledSender++;
      return;
    }
    this.offer(now, from, sender, id, { datagram, nickKey: decoded.nickKey }, out);
  }

  /** Releases what waited long enough, then times out senders not heard for SENDER_TIMEOUT_MS. */
  tick(now: number, out: LanEvent[]): void {
    for (const sender of [...this.table.values()]) this.release(sender, sender.buffer.expire(now), out);
    for (const sender of [...this.table.values()]) {
      if (now - sender.lastHeardAt >= SENDER_TIMEOUT_MS) this.timeOut(now, sender, out);
    }
  }

  /** The earliest hold or time-out deadline, or null when no sender is known. */
  nextDeadline(): number | null {
    let due: number | null = null;
    for (const sender of this.table.values()) {
      const hold = sender.buffer.deadline();
      const timeout = sender.lastHeardAt + SENDER_TIMEOUT_MS;
      const earliest = hold === null ? timeout : Math.min(hold, timeout);
      if (due === null || earliest < due) due = earliest;
    }
    return due;
  }

  present(): RemoteSender[] {
    return [...this.table.values()].filter((sender) => sender.present);
  }

  hasShown(id: MessageId): boolean {
    return this.shown.has(id);
  }

  markShown(id: MessageId): void {
    this.shown.mark(id);
  }

  footprint(): LanFootprint {
    return {
      senders: this.table.size,
      held: this.held,
      shownSenders: this.shown.senders,
      departed: this.departed.size,
      timedOut: this.timedOut.size,
      keyMismatchReported: this.mismatchReported.size,
    };
  }

  private senderFor(now: number, from: Address, id: MessageId, out: LanEvent[]): RemoteSender | null {
    const known = this.table.get(id.senderId);
    if (known !== undefined) return known;
    // A sender we forgot (timed out or evicted) repeating what we already showed is not a newcomer.
    if (this.shown.has(id)) {
      this.duplicate(id, out);
      return null;
    }
    const returning = this.timedOut.has(id.senderId);
    const create = (): RemoteSender => new RemoteSender(id.senderId, id.sequence, now, from, returning);
    const admission = this.table.admit(id.senderId, create);
    if (!admission.ok) {
      this.stats.tableFull++;
      return null;
    }
    this.timedOut.delete(id.senderId);
    if (admission.evicted !== null) {
      this.stats.evicted++;
      this.held -= admission.evicted.buffer.size;
    }
    return admission.sender;
  }

  private offer(
    now: number,
    from: Address,
    sender: RemoteSender,
    id: MessageId,
    held: HeldDatagram,
    out: LanEvent[],
  ): void {
    const before = sender.buffer.size;
    const offer = sender.buffer.offer(now, id.sequence, held);
    if (offer.status !== 'accepted') {
      if (offer.status === 'held' || this.shown.has(id)) this.duplicate(id, out);
      else this.stats.late++;
      return;
    }
    // Only a datagram that moves the stream forward counts as hearing the sender: a replayed old one
    // must not keep a departed peer alive.
    sender.lastHeardAt = now;
    sender.address = from;
    this.table.heard(sender);
    this.held += sender.buffer.size - before + offer.released.length;
    this.release(sender, offer.released, out);
    if (this.held > MAX_HELD_DATAGRAMS && this.table.get(sender.senderId) === sender)
      this.release(sender, sender.buffer.skipGap(), out);
  }

  private release(sender: RemoteSender, released: Released<HeldDatagram>[], out: LanEvent[]): void {
    this.held -= released.length;
    if (released.length > 0) deliver(this.context, sender, released, out);
  }

  private undecodable(now: number, decoded: Extract<LanDecoded, { ok: false }>, out: LanEvent[]): void {
    const { error, header } = decoded;
    const theirs = mismatchOf(error);
    if (theirs === null || header === null) {
      this.stats.malformed++;
      return;
    }
    this.stats.keyMismatch++;
    const senderId = senderIdHex(header.senderId);
    // A known member of our group whose datagram fails to open was altered or forged: not another key.
    if (this.table.get(senderId) !== undefined || this.options.isOwn(senderId)) return;
    if (this.mismatchReported.has(senderId) || !this.mismatchReports.take(now)) return;
    this.mismatchReported.set(senderId, true);
    out.push({ type: 'key-mismatch', senderId, theirs });
  }

  private duplicate(id: MessageId, out: LanEvent[]): void {
    this.stats.duplicates++;
    out.push({ type: 'duplicate', id });
  }

  /** A sender not heard for SENDER_TIMEOUT_MS; one that was never present goes without a word. */
  private timeOut(now: number, sender: RemoteSender, out: LanEvent[]): void {
    this.forget(sender);
    if (!sender.present) return;
    this.timedOut.set(sender.senderId, true);
    const nick = this.options.resolver.shownAs(sender.senderId) ?? sender.nick;
    const changes = this.options.resolver.release(sender.senderId);
    out.push({ type: 'timed-out', senderId: sender.senderId, nick, silentMs: now - sender.lastHeardAt });
    this.context.displayChanges(changes, out);
  }

  private depart(sender: RemoteSender): void {
    this.forget(sender);
    this.departed.set(sender.senderId, true);
  }

  private forget(sender: RemoteSender): void {
    this.held -= sender.buffer.size;
    this.table.remove(sender.senderId);
  }
}

function mismatchOf(error: string): LanKeyMismatchEvent['theirs'] | null {
  if (error === 'authentication') return 'other-key';
  if (error === 'needs-key') return 'sealed';
  if (error === 'unsealed') return 'clear';
  return null;
}

function newStats(): LanStats {
  return {
    received: 0,
    throttledTotal: 0,
    throttledSender: 0,
    malformed: 0,
    keyMismatch: 0,
    own: 0,
    duplicates: 0,
    late: 0,
    departed: 0,
    tableFull: 0,
    evicted: 0,
    linesLost: 0,
  };
}
