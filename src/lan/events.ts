/**
 * What a LanPeer reports: datagrams to send to the group, and typed events for a UI. Sender ids are 16
 * lower-case hex digits; every nick is the name the sender is shown under (collisions resolved) and all
 * text has been through ../protocol/sanitize.ts.
 */
import type { Address } from '../protocol/address.ts';
import type { MessageId } from '../protocol/lan/message-id.ts';

export interface LanOutput {
  /** Each goes to the group address, in order. */
  readonly datagrams: Uint8Array[];
  readonly events: LanEvent[];
}

/** A room line or an action (/me) from another peer, in that sender's order, shown once. */
export interface LanLineEvent {
  readonly type: 'line' | 'action';
  readonly id: MessageId;
  readonly nick: string;
  readonly text: string;
}
/** A sender became present: heard twice, or heard saying something. */
export interface LanJoinedEvent {
  readonly type: 'joined';
  readonly senderId: string;
  readonly nick: string;
}
/** A sender said goodbye (`/quit`). */
export interface LanLeftEvent {
  readonly type: 'left';
  readonly senderId: string;
  readonly nick: string;
}
/** A sender was not heard for SENDER_TIMEOUT_MS. */
export interface LanTimedOutEvent {
  readonly type: 'timed-out';
  readonly senderId: string;
  readonly nick: string;
  readonly silentMs: number;
}
/** The name a present sender (or we, `self`) is shown under changed: a new nick, or a collision ended. */
export interface LanRenamedEvent {
  readonly type: 'renamed';
  readonly senderId: string;
  readonly from: string;
  readonly to: string;
  readonly self: boolean;
}
/**
 * A sender (or we, `self`) lost a nick collision to `keptBy` and is shown as `shownAs` by every peer that
 * heard both. `from` is the name it was shown under before (null for a newcomer).
 */
export interface LanCollisionEvent {
  readonly type: 'collision';
  readonly senderId: string;
  readonly nick: string;
  readonly shownAs: string;
  readonly from: string | null;
  readonly keptBy: string;
  readonly self: boolean;
}
/** `count` lines from `nick` were lost ("2 lines from bob lost"). */
export interface LanGapEvent {
  readonly type: 'gap';
  readonly senderId: string;
  readonly nick: string;
  readonly count: number;
}
/** A datagram already delivered (or shown through the relay) arrived again and was dropped. */
export interface LanDuplicateEvent {
  readonly type: 'duplicate';
  readonly id: MessageId;
}
/** say() or act() sent nothing; the line was not truncated. */
export interface LanRefusedEvent {
  readonly type: 'refused';
  readonly refusal: LanRefusal;
}
/**
 * A sender's traffic is not readable with our key: `other-key` (sealed, but not with ours), `sealed`
 * (sealed, and we have no key), `clear` (in clear, and we have a key). Reported once per sender; no
 * content is ever shown.
 */
export interface LanKeyMismatchEvent {
  readonly type: 'key-mismatch';
  readonly senderId: string;
  readonly theirs: 'other-key' | 'sealed' | 'clear';
}

export type LanEvent =
  | LanLineEvent
  | LanJoinedEvent
  | LanLeftEvent
  | LanTimedOutEvent
  | LanRenamedEvent
  | LanCollisionEvent
  | LanGapEvent
  | LanDuplicateEvent
  | LanRefusedEvent
  | LanKeyMismatchEvent;

export type LanRefusalCode =
  | 'inactive'
  | 'empty'
  | 'line-break'
  | 'too-long'
  | 'nothing-printable'
  | 'too-large'
  /** Not valid Unicode (a lone surrogate). */
  | 'unencodable'
  | 'throttled';

export interface LanRefusal {
  readonly code: LanRefusalCode;
  readonly message: string;
}

/** One entry of /who: what was heard from a present sender (or ourselves). */
export interface LanWhoEntry {
  readonly senderId: string;
  readonly nick: string;
  readonly shownAs: string;
  readonly self: boolean;
  /** When it was last heard (our clock); for ourselves, now. */
  readonly lastHeardAt: number;
  /** The source address of its latest datagram; null for ourselves. */
  readonly address: Address | null;
}

/** Counters for a status line or metrics; every dropped datagram is counted under exactly one. */
export interface LanStats {
  received: number;
  /** Over the overall incoming rate before anything was decoded. */
  throttledTotal: number;
  /** Over its sender's incoming rate. */
  throttledSender: number;
  /** Not a LAN datagram, or one that breaks the format. */
  malformed: number;
  /** Sealed but not with our key (or altered), sealed while we have no key, in clear while we have one. */
  keyMismatch: number;
  /** Our own datagrams, looped back by the group. */
  own: number;
  duplicates: number;
  /** Arrived after its gap was given up on. */
  late: number;
  /** From a sender that left. */
  departed: number;
  /** The sender table was full of present senders. */
  tableFull: number;
  /** Senders forgotten to make room for newcomers. */
  evicted: number;
  /** Lines reported lost in gap events. */
  linesLost: number;
}
