/**
 * What a relay needs to offer resumption (docs/PROTOCOL-v2.md, section 16): the ticket key derived from
 * the cluster's shared key, the randomness for a ticket's nonce and id, and the ids already honoured.
 * Made once per relay, and only when the binding handed it a resumption key.
 */
import { utf8Length } from '../../protocol/codec.ts';
import { MAX_TICKET_BYTES } from '../../protocol/limits.ts';
import type { AeadKey } from '../../protocol/v2/aead.ts';
import { drawRandom, type RandomSource } from '../../protocol/v2/crypto.ts';
import { AEAD_NONCE_BYTES, AEAD_TAG_BYTES, IDENTITY_KEY_BYTES } from '../../protocol/v2/protected-limits.ts';
import {
  DEFAULT_TICKET_LIFETIME_MS,
  MAX_TICKET_ROOMS,
  openTicket,
  RESUMPTION_ID_BYTES,
  sealTicket,
  type TicketContent,
  ticketKey,
} from '../../protocol/v2/resume-ticket.ts';
import type { Room, Session } from '../session.ts';
import { SpentTickets } from './spent-tickets.ts';

/** The sealed ticket's fixed part: format, nonce, tag, id, expiry, client key, flags, two counts. */
const FIXED_TICKET_BYTES =
  1 + AEAD_NONCE_BYTES + AEAD_TAG_BYTES + RESUMPTION_ID_BYTES + 8 + IDENTITY_KEY_BYTES + 1 + 2;

export class Resumption {
  readonly spent = new SpentTickets();
  private readonly key: AeadKey;

  constructor(
    sharedKey: Uint8Array,
    /** Null: this relay honours tickets but cannot seal any (no randomness was handed over). */
    private readonly random: RandomSource | null,
    readonly lifetimeMs = DEFAULT_TICKET_LIFETIME_MS,
  ) {
    this.key = ticketKey(sharedKey);
  }

  get issues(): boolean {
    return this.random !== null;
  }

  /** A ticket for `session`, which only the holder of `clientKey` can present; null without randomness. */
  issue(session: Session, clientKey: Uint8Array, node: string, wallTime: number): Uint8Array | null {
    if (this.random === null) return null;
    const rooms = roomsThatFit(session, node);
    return sealTicket(this.key, this.random, {
      resumptionId: drawRandom(this.random, RESUMPTION_ID_BYTES),
      expiresAt: wallTime + this.lifetimeMs,
      clientKey,
      node,
      nick: session.nick,
      account: session.account !== null,
      serverOperator: session.serverOperator,
      rooms: rooms.map((room) => room.name),
      current: session.current !== undefined && rooms.includes(session.current) ? session.current.name : null,
    });
  }

  /** What a ticket says, or null when it was not sealed by this cluster (or is not a ticket at all). */
  open(ticket: Uint8Array): TicketContent | null {
    return openTicket(this.key, ticket);
  }
}

/**
 * The session's rooms in the order it joined them, as many as keep the ticket within MAX_TICKET_BYTES
 * (the current room is kept first, so plain lines go where they went).
 */
function roomsThatFit(session: Session, node: string): Room[] {
  let budget =
    MAX_TICKET_BYTES - FIXED_TICKET_BYTES - (1 + utf8Length(node)) - (1 + utf8Length(session.nick));
  const cost = (room: Room): number => 1 + utf8Length(room.name);
  const current = session.current;
  if (current !== undefined) budget -= cost(current);
  const kept: Room[] = [];
  for (const room of session.rooms) {
    if (room === current) kept.push(room);
    else if (cost(room) <= budget) {
      budget -= cost(room);
      kept.push(room);
    }
  }
  // A client is in at most MAX_ROOMS_PER_CLIENT rooms, which is MAX_TICKET_ROOMS: the cut is a guard.
  return kept.slice(0, MAX_TICKET_ROOMS);
}
