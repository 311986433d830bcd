/**
 * What the v2 client connection (client-connection.ts) takes and gives: its options, states, events and
 * output, and the terms an ACCEPT set for a session.
 */
import type { RandomSource } from '../protocol/v2/crypto.ts';
import type { Delivery } from './reliable/channel.ts';
import type { ReliableOptions } from './reliable/options.ts';

export type V2ClientState = 'probing' | 'validating' | 'established' | 'v1' | 'closed';

export type V2ClientEvent =
  /** The relay speaks v2 and the session is up. */
  | { readonly type: 'established' }
  /** No v2 answer: the relay is v1 (the seed's relay.py); speak v1 from now on. */
  | { readonly type: 'fallback' }
  /** The relay lost the session (restart, eviction) or closed it; `reconnecting` when a new one is sought. */
  | { readonly type: 'session-lost'; readonly reconnecting: boolean }
  /** The relay's lines and gaps, in order. */
  | { readonly type: 'delivered'; readonly items: readonly Delivery[] }
  /** One of our lines was acknowledged by the relay. */
  | { readonly type: 'acked'; readonly seq: number; readonly rttMs: number | null }
  /** One of our lines was given up after every retransmission. */
  | { readonly type: 'failed'; readonly seq: number };

export interface V2ClientOutput {
  readonly datagrams: Uint8Array[];
  readonly events: V2ClientEvent[];
}

export interface V2ClientOptions {
  readonly random: RandomSource;
  readonly probeIntervalMs?: number;
  readonly probeCount?: number;
  readonly validateRetryMs?: number;
  readonly validateCount?: number;
  /** Ping at least this often; the ACCEPT's keep-alive (and a third of its idle timeout) win when shorter. */
  readonly keepAliveMs?: number;
  readonly channel?: Partial<ReliableOptions>;
  /** Where each session's packet numbers start: 0 on the wire; a test may start near the end (2^32 - 1). */
  readonly firstPacketNumber?: number;
}

/** What the ACCEPT told this session: the timers the client follows and the token a genuine REJECT 4 carries. */
export interface AcceptTerms {
  readonly idleTimeoutMs: number;
  readonly keepAliveMs: number;
  readonly resetToken: Uint8Array;
}

export type V2SendResult =
  | { readonly ok: true; readonly seq: number }
  | { readonly ok: false; readonly reason: string };
