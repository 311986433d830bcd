/**
 * What we know of one other sender: its stream being put back in order, its incoming rate, the nick it
 * last gave (in stream order, so a reordered old datagram cannot rename it back), whether it is present,
 * and how many of its lines we have accounted for (shown or reported lost).
 */
import type { Address } from '../protocol/address.ts';
import type { LanDatagram } from '../protocol/lan/datagram.ts';
import { INBOUND_SENDER_BURST, INBOUND_SENDER_RATE } from '../protocol/lan/limits.ts';
import { TokenBucket } from '../relay/token-bucket.ts';
import { ReorderBuffer } from './reorder-buffer.ts';

export interface HeldDatagram {
  readonly datagram: LanDatagram;
  readonly nickKey: string;
}

export class RemoteSender {
  readonly buffer: ReorderBuffer<HeldDatagram>;
  readonly bucket: TokenBucket;
  /**
   * Present: heard twice, heard saying something, or heard again after a time-out; only present senders
   * are joined, named and listed.
   */
  present = false;
  /** Datagrams released in order so far. */
  released = 0;
  nick = '';
  nickKey = '';
  claimedAt = 0;
  /** The line number we expect next; null before the first datagram was released. */
  nextLine: number | null = null;
  lastHeardAt: number;
  address: Address;

  /**
   * `returning`: it timed out lately, so it was present before; it is present again on its first
   * datagram instead of its second.
   */
  constructor(
    readonly senderId: string,
    firstSequence: number,
    now: number,
    address: Address,
    readonly returning: boolean,
  ) {
    this.buffer = new ReorderBuffer(firstSequence);
    this.bucket = new TokenBucket({ burst: INBOUND_SENDER_BURST, perSecond: INBOUND_SENDER_RATE }, now);
    this.lastHeardAt = now;
    this.address = address;
  }

  /** Whether this datagram names the sender differently from what we hold. */
  renames(held: HeldDatagram): boolean {
    const { datagram } = held;
    return (
      datagram.nick !== this.nick || held.nickKey !== this.nickKey || datagram.claimedAt !== this.claimedAt
    );
  }
}
