/**
 * What the v2 client connection (client-connection.ts) takes and gives: its options, states, events and
 * output, and the terms an ACCEPT set for a session.
 */
import type { RandomSource } from '../protocol/v2/crypto.ts';
import type { ChannelStats, Delivery } from './reliable/channel.ts';
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
  | { readonly type: 'failed'; readonly seq: number }
  /** The relay has answered nothing we sent for the stall time (liveness.ts): it may be gone. */
  | { readonly type: 'stalled'; readonly silentMs: number }
  /** The relay answered again after `stalled`. */
  | { readonly type: 'unstalled'; readonly silentMs: number };

/** The session's path as the reliable channel measured it (for `/lag`). */
export interface V2PathStats {
  /** Smoothed round-trip time and its variation (RFC 6298 SRTT and RTTVAR); null before a sample. */
  readonly srttMs: number | null;
  readonly rttvarMs: number | null;
  readonly rtoMs: number;
  readonly channel: ChannelStats;
}

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
  /** A quiet session PINGs after this long without hearing from the relay (default null: keep-alive only). */
  readonly idleProbeMs?: number | null;
  /** How long the relay may answer nothing we sent before `stalled` (at least twice the RTO). */
  readonly stallAfterMs?: number;
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
