/**
 * Moving to another relay of the cluster when ours is lost (docs/PROTOCOL-v2.md, section 16): the list of
 * relays and which one we are on, the resumption ticket, and the lines to carry over. A line said that the
 * relay acknowledged is not said again; one it had not acknowledged when it was lost is said again, once,
 * on the next relay; lines said during the move wait for the new relay's welcome. Pure: the ChatClient
 * binding opens the links and moves time.
 */
import { readResumeAnswer } from '../protocol/resume-messages.ts';
import type { RandomSource } from '../protocol/v2/crypto.ts';
import { TicketHolder } from './ticket-holder.ts';

/** A relay of the list (the same shape as transport/relay-link.ts's, which this layer may not import). */
export interface RelayTarget {
  readonly host: string;
  readonly port: number;
}

/** How a relay is named to the user and in known_relays: `host:port`, an IPv6 address in brackets. */
export function relayName(target: RelayTarget): string {
  return target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
}

/**
 * - `steady`: on a relay, nothing moving;
 * - `connecting`: the old relay is given up, the new one's v2 session is being set up;
 * - `resuming`: `/resume` is out, its answer is awaited;
 * - `joining`: no ticket, or the new relay refused it: a plain `/join` is out.
 */
export type FailoverPhase = 'steady' | 'connecting' | 'resuming' | 'joining';

/**
 * Carried-over lines leave at once up to RESEND_BURST, then one per RESEND_SPACING_MS: the relay's flood
 * control (a burst of 10, then 4 a second; protocol/limits.ts) also has to take the welcome's gap-fill
 * requests and the new ticket's request, and a line it throttles is lost.
 */
export const RESEND_BURST = 6;
export const RESEND_SPACING_MS = 400;
/**
 * After a plain `/join` (no resumption) the client's own rejoin lines take the first burst (a `/join #room`
 * per room, reconnect.ts), so the carried-over lines start this much later, two at a time.
 */
export const RESEND_AFTER_JOIN_MS = 1_000;
const RESEND_BURST_AFTER_JOIN = 2;

/** Lines said and not yet acknowledged, per session, that a move would carry over (bounded like v2's window). */
const MAX_CARRIED_LINES = 256;
/**
 * At most this many lines said during a move wait for the new relay, and this many (carried-over and held
 * lines included) wait to be paced out to it after its welcome: past them say() refuses the line
 * (`move-backlog`) rather than drop it unseen.
 */
export const MAX_HELD_LINES = 256;
export const MAX_QUEUED_LINES = 512;
/**
 * say() numbers a line it holds or queues from here, above any id a carrier gives (an epoch times 2^32 plus
 * a sequence number, and far fewer than 2^20 epochs): its `acked` or `failed` event carries this id.
 */
export const HELD_ID_BASE = 2 ** 52;

/** A line waiting to be said on a relay, with the id say() gave the caller for it (if any). */
export interface WaitingLine {
  readonly datagram: Uint8Array;
  readonly id: number | null;
}

export class Failover {
  readonly tickets: TicketHolder;
  private index = 0;
  private phaseNow: FailoverPhase = 'steady';
  /** Relays tried since the last one that welcomed us. */
  private tries = 0;
  /** By the carrier's id: the line, and the id its caller knows it by. */
  private readonly unacked = new Map<number, WaitingLine>();
  private carried: WaitingLine[] = [];
  private held: WaitingLine[] = [];
  /** Carrier id to the caller's id, for lines said again or said late (not the ids say() first returned). */
  private readonly callerIds = new Map<number, number>();
  private nextHeldId = HELD_ID_BASE;
  private refusal: string | null = null;
  /** Welcomed after `/resume`: the relay's `*** resumed ... ***` (which names the rooms) is still to come. */
  private awaitingResumed = false;
  /** Lines to say on the new relay, paced; and when the next is due. */
  private outgoing: WaitingLine[] = [];
  private nextOutAt = 0;
  private burstLeft = 0;

  constructor(
    readonly relays: readonly RelayTarget[],
    random: RandomSource,
  ) {
    if (relays.length === 0) throw new RangeError('a client needs at least one relay');
    this.tickets = new TicketHolder(random);
  }

  /** More than one relay: a lost one is moved away from. */
  get enabled(): boolean {
    return this.relays.length > 1;
  }

  get phase(): FailoverPhase {
    return this.phaseNow;
  }

  get moving(): boolean {
    return this.phaseNow !== 'steady';
  }

  get current(): RelayTarget {
    return this.relays[this.index] as RelayTarget;
  }

  /** Why the new relay did not resume us (its refusal), or null. */
  get refusedBecause(): string | null {
    return this.refusal;
  }

  /**
   * Our line `id` (as the carrier numbers it) went out as `datagram`; its caller knows it as `callerId`
   * (the same id, unless it was held, queued or carried over).
   */
  sent(id: number, datagram: Uint8Array, callerId: number | null = id): void {
    this.unacked.set(id, { datagram, id: callerId });
    if (callerId !== null && callerId !== id) this.callerIds.set(id, callerId);
    if (this.unacked.size > MAX_CARRIED_LINES) {
      const oldest = this.unacked.keys().next();
      if (oldest.done !== true) this.unacked.delete(oldest.value);
    }
  }

  acked(id: number): void {
    this.unacked.delete(id);
  }

  /** The id the caller knows the carrier's line `id` by, for its `acked` or `failed` (then forgotten). */
  settled(id: number): number {
    const callerId = this.callerIds.get(id);
    if (callerId === undefined) return id;
    this.callerIds.delete(id);
    return callerId;
  }

  /**
   * Lines waiting for the new relay, and how many more may wait: while moving, those held; after the
   * welcome, those still paced out to it.
   */
  backlog(): { readonly waiting: number; readonly room: number } {
    if (this.moving) {
      const waiting = this.held.length;
      return { waiting, room: Math.max(0, MAX_HELD_LINES - waiting) };
    }
    const waiting = this.outgoing.length;
    return { waiting, room: Math.max(0, MAX_QUEUED_LINES - waiting) };
  }

  /**
   * A line said while moving: it goes to the new relay after its welcome. Returns the id say() gives it,
   * or null when MAX_HELD_LINES already wait (it is not kept).
   */
  hold(datagram: Uint8Array): number | null {
    if (this.held.length >= MAX_HELD_LINES) return null;
    const id = this.nextHeldId++;
    this.held.push({ datagram, id });
    return id;
  }

  /**
   * Gives up on the current relay: the next one of the list, or null when every relay has been tried
   * since the last welcome. What the lost relay had not acknowledged is carried over.
   */
  begin(): RelayTarget | null {
    if (this.tries >= this.relays.length - 1) return null;
    this.tries++;
    this.carried.push(...this.unacked.values());
    this.unacked.clear();
    this.index = (this.index + 1) % this.relays.length;
    this.phaseNow = 'connecting';
    this.refusal = null;
    return this.current;
  }

  /** After a pause, every relay of the list may be tried again (one may have come back). */
  tryAllAgain(): void {
    this.tries = 0;
  }

  /**
   * The new relay's session is up: the `/resume` line to open it with (the ticket is used up), or null
   * when there is no ticket and a plain `/join` must do.
   */
  established(sessionKey: string): string | null {
    const line = this.tickets.resumeLine(sessionKey);
    this.phaseNow = line === null ? 'joining' : 'resuming';
    return line;
  }

  /**
   * A line from the new relay while resuming: 'refused' (then join as usual), 'resumed' with the rooms it
   * restored, or null for any other line.
   */
  answer(
    line: string,
  ): { readonly kind: 'resumed'; readonly rooms: string[] } | { readonly kind: 'refused' } | null {
    if (this.phaseNow !== 'resuming' && !this.awaitingResumed) return null;
    const answer = readResumeAnswer(line);
    if (answer === null) return null;
    if (answer.kind === 'refused') {
      this.refusal = answer.reason;
      this.phaseNow = 'joining';
      return { kind: 'refused' };
    }
    this.awaitingResumed = false;
    return { kind: 'resumed', rooms: resumedRooms(line) };
  }

  /**
   * Welcomed by the new relay: the carried-over lines, then those said during the move, are queued to be
   * said there (`due`). Returns whether it resumed us and how many lines were carried over.
   */
  welcomed(now: number): { readonly resumed: boolean; readonly resent: number } {
    const resumed = this.phaseNow === 'resuming';
    this.awaitingResumed = resumed;
    const resent = this.carried.length;
    this.outgoing.push(...this.carried, ...this.held);
    this.carried = [];
    this.held = [];
    this.phaseNow = 'steady';
    this.tries = 0;
    this.nextOutAt = resumed ? now : now + RESEND_AFTER_JOIN_MS;
    this.burstLeft = resumed ? RESEND_BURST : RESEND_BURST_AFTER_JOIN;
    return { resumed, resent };
  }

  /** Lines are still queued for the new relay: a line said now queues behind them, keeping the order. */
  get pacing(): boolean {
    return this.outgoing.length > 0;
  }

  /** A line said while the backlog drains: its id for say(), or null when MAX_QUEUED_LINES already wait. */
  queue(datagram: Uint8Array): number | null {
    if (this.outgoing.length >= MAX_QUEUED_LINES) return null;
    const id = this.nextHeldId++;
    this.outgoing.push({ datagram, id });
    return id;
  }

  /** The queued lines to say at `now`. */
  due(now: number): WaitingLine[] {
    if (this.outgoing.length === 0 || now < this.nextOutAt) return [];
    const count = Math.max(1, this.burstLeft);
    this.burstLeft = 0;
    this.nextOutAt = now + RESEND_SPACING_MS;
    return this.outgoing.splice(0, count);
  }

  /** When the next queued line is due; null when none is queued. */
  nextDueAt(): number | null {
    return this.outgoing.length === 0 ? null : this.nextOutAt;
  }
}

/** The rooms of `*** resumed <nick> from <node> in #a #b ***`. */
function resumedRooms(line: string): string[] {
  const at = line.indexOf(' in #');
  if (at < 0) return [];
  return line
    .slice(at + 4, -4)
    .split(' ')
    .filter((room) => room.startsWith('#'));
}
