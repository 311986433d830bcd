/** What the relay core asks its binding to do: datagrams to send, and events that describe what happened. */
import type { Address } from '../protocol/address.ts';

export interface Transmit {
  readonly to: Address;
  /** Shared between the recipients of one broadcast: encoded once, never mutated. */
  readonly payload: Uint8Array;
}

export type RefusalReason =
  | 'not-joined'
  | 'nick-in-use'
  | 'nick-invalid'
  | 'already-joined'
  | 'line-too-long'
  | 'invalid-utf8'
  | 'datagram-too-large'
  | 'too-many-lines'
  | 'nothing-printable';

export type IgnoreReason = 'own-address' | 'unreplyable-source' | 'reply-limited' | 'relay-output';

export type RelayEvent =
  | { readonly type: 'joined'; readonly address: Address; readonly nick: string }
  | {
      readonly type: 'departed';
      readonly address: Address;
      readonly nick: string;
      readonly reason: 'left' | 'timed out';
    }
  | {
      readonly type: 'relayed';
      readonly address: Address;
      readonly nick: string;
      readonly recipients: number;
    }
  | { readonly type: 'refused'; readonly address: Address; readonly reason: RefusalReason }
  | { readonly type: 'ignored'; readonly address: Address; readonly reason: IgnoreReason };

export interface RelayOutput {
  readonly transmits: Transmit[];
  readonly events: RelayEvent[];
}

export function emptyOutput(): RelayOutput {
  return { transmits: [], events: [] };
}
