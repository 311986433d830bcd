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

export class Failover {
  readonly tickets: TicketHolder;
  private index = 0;
  private phaseNow: FailoverPhase = 'steady';
  /** Relays tried since the last one that welcomed us. */
  private tries = 0;
  private readonly unacked = new Map<number, Uint8Array>();
  private carried: Uint8Array[] = [];
  private held: Uint8Array[] = [];
  private refusal: string | null = null;
  /** Welcomed after `/resume`: the relay's `*** resumed ... ***` (which names the rooms) is still to come. */
  private awaitingResumed = false;
  /** Lines to say on the new relay, paced; and when the next is due. */
  private outgoing: Uint8Array[] = [];
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

  /** Our line `id` (as the carrier numbers it) went out as `datagram`. */
  sent(id: number, datagram: Uint8Array): void {
    this.unacked.set(id, datagram);
    if (this.unacked.size > MAX_CARRIED_LINES) {
      const oldest = this.unacked.keys().next();
      if (oldest.done !== true) this.unacked.delete(oldest.value);
    }
  }

  acked(id: number): void {
    this.unacked.delete(id);
  }

  /** A line said while moving: it goes to the new relay after its welcome. */
  hold(datagram: Uint8Array): void {
    if (this.held.length < MAX_CARRIED_LINES) this.held.push(datagram);
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

  queue(datagram: Uint8Array): void {
    if (this.outgoing.length < 2 * MAX_CARRIED_LINES) this.outgoing.push(datagram);
  }

  /** The queued lines to say at `now`. */
  due(now: number): Uint8Array[] {
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
