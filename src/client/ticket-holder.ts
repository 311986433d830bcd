/**
 * The client's half of resumption (docs/PROTOCOL-v2.md, section 16): a resumption key of its own (an
 * Ed25519 key made per relay session), the latest ticket the relay sealed for it, and when to ask again.
 * The ticket is asked for after the welcome over v2, again after every change of rooms (the ticket names
 * them) and at half its lifetime; it is used once, for the `/resume` that opens the next relay's session.
 */
import { askTicket, readTicketLine, resumeWith, toBase64Url } from '../protocol/resume-messages.ts';
import type { RandomSource } from '../protocol/v2/crypto.ts';
import { ResumptionKey } from '../protocol/v2/resume-proof.ts';
import { DEFAULT_TICKET_LIFETIME_MS } from '../protocol/v2/resume-ticket.ts';

/** A ticket is asked for again at half its lifetime, well before any relay would refuse it as expired. */
export const TICKET_REFRESH_MS = DEFAULT_TICKET_LIFETIME_MS / 2;
/** A `/ticket` left unanswered is asked again after this long (never in a loop while the answer travels). */
export const TICKET_ASK_RETRY_MS = 30_000;

export class TicketHolder {
  private key: ResumptionKey;
  private ticket: string | null = null;
  private ticketAt = 0;
  private askedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly random: RandomSource) {
    this.key = ResumptionKey.generate(random);
  }

  get holds(): boolean {
    return this.ticket !== null;
  }

  /** The `/ticket <client key>` line, asked at `now`. */
  request(now: number): string {
    this.askedAt = now;
    return askTicket(toBase64Url(this.key.publicKey));
  }

  /** Keeps the ticket if `line` is the relay's `*** resume ticket ... ***`; true when it was. */
  take(now: number, line: string): boolean {
    const ticket = readTicketLine(line);
    if (ticket === null) return false;
    this.ticket = ticket;
    this.ticketAt = now;
    return true;
  }

  /** When the ticket should be replaced; null without one. Not again while a request may be on its way. */
  refreshAt(): number | null {
    if (this.ticket === null) return null;
    return Math.max(this.ticketAt + TICKET_REFRESH_MS, this.askedAt + TICKET_ASK_RETRY_MS);
  }

  /**
   * The `/resume <ticket> <proof>` line for the new session `sessionKey`, or null without a ticket. The
   * ticket is spent by it, and the next session gets a key of its own.
   */
  resumeLine(sessionKey: string): string | null {
    const ticket = this.ticket;
    if (ticket === null) return null;
    const line = resumeWith(ticket, toBase64Url(this.key.prove(sessionKey)));
    this.ticket = null;
    this.key = ResumptionKey.generate(this.random);
    return line;
  }

  /** The ticket is of no use any more (a new session on a relay that did not resume us). */
  drop(): void {
    this.ticket = null;
  }
}
