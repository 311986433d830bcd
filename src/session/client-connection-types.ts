/**
 * What the v2 client connection (client-connection.ts) takes and gives: its options, states, events and
 * output, and the terms an ACCEPT set for a session.
 */
import type { RandomSource } from '../protocol/v2/crypto.ts';
import type { ChannelStats, Delivery } from './reliable/channel.ts';
import type { ReliableOptions } from './reliable/options.ts';
import type { ProtectedObserver } from './session-link.ts';

export type V2ClientState = 'probing' | 'validating' | 'established' | 'v1' | 'closed';

export type V2ClientEvent =
  /**
   * The relay speaks protected v2, proved `identityKey` (its raw Ed25519 key) over our handshake, and the
   * session is up. `firstContact` when nothing was pinned for it: the caller pins it and says so.
   */
  | { readonly type: 'established'; readonly identityKey: Uint8Array; readonly firstContact: boolean }
  /**
   * No protected-v2 answer: the relay is v1 (the seed's relay.py), or refused our version (`wire2-only`:
   * a wire-2 relay) or is full; speak v1 from now on. Never emitted for a pinned relay.
   */
  | { readonly type: 'fallback'; readonly reason: 'silent' | 'wire2-only' | 'full' }
  /**
   * A pinned relay gives no protected v2 session yet and the client keeps trying (it never falls back,
   * section 12): `unanswered` when its HELLOs got no answer, `full` when it refused them with REJECT 3; the
   * next try is `retryMs` later. Said once per reason until a session is established.
   */
  | { readonly type: 'waiting'; readonly reason: 'unanswered' | 'full'; readonly retryMs: number }
  /** The client stopped before sending any line: the relay cannot be trusted or cannot be spoken to. */
  | { readonly type: 'refused'; readonly refusal: V2Refusal }
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

/**
 * Why the client stopped (docs/PROTOCOL-v2.md, 5.3 and 12): a genuine ACCEPT under another key than the
 * pinned one; ACCEPTs that failed their proof until the attempts ran out; a pinned relay that speaks only
 * wire version 2.
 */
export type V2Refusal =
  | { readonly kind: 'identity-changed'; readonly offeredKey: Uint8Array }
  | { readonly kind: 'identity-unverified' }
  | { readonly kind: 'wire2-only' };

/** What the client counted and dropped (docs/PROTOCOL-v2.md, section 14). */
export interface V2ClientDrops {
  /** ACCEPTs dropped, by the first check they failed (4.5): nonce, proof, key, auth, params, ... */
  readonly accept: Record<string, number>;
  /** Sealed datagrams of the session dropped, by reason: auth, replay, short, frame, ... */
  readonly session: Record<string, number>;
  /** REJECTs ignored (not about us, or a REJECT 4 whose token did not verify). */
  rejects: number;
}

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
  /**
   * The fingerprint (`SHA256:…`) the relay must prove: from known_relays or `--relay-key`. Absent: first
   * contact, any key that proves itself is accepted (and reported, to be pinned). A pinned client never
   * falls back to v1.
   */
  readonly pinnedFingerprint?: string;
  /** Told what every protected datagram held as it is sealed or opened here (`--trace`); never a key. */
  readonly observer?: ProtectedObserver;
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
