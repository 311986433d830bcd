/** What a command handler may do: the relay's state and its means of answering, nothing more. */
import type { Address } from '../protocol/address.ts';
import type { RefusalReason, RelayEvent } from './output.ts';
import type { Session, SessionTable } from './session-table.ts';

export type DepartureReason = 'left' | 'timed out';

export interface RelayContext {
  /** The time of the datagram or tick being handled, in ms on the binding's monotonic clock. */
  readonly now: number;
  readonly sessions: SessionTable;
  /** Sends one line to one address; replies to an address that has not joined are rate-limited. */
  reply(to: Address, line: string | Uint8Array, session: Session | undefined): void;
  /** Sends one line to every joined client except `except`; returns how many it went to. */
  broadcast(line: string | Uint8Array, except?: Session): number;
  /** Sends a refusal line (rate-limited like any reply to an unjoined address) and records why. */
  refuse(to: Address, session: Session | undefined, reason: RefusalReason, line: string): void;
  /** Removes a session and tells everyone else, once. */
  depart(session: Session, reason: DepartureReason): void;
  emit(event: RelayEvent): void;
}
