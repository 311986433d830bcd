/**
 * ChatClient's library API apart from its binding: what `ChatClient.connect` takes, the events it emits and
 * its error values. The event payloads are client/events.ts's; this file only says which ones ChatClient
 * emits, under their own `type`.
 */
import type {
  AckedEvent,
  ClientEvent,
  EventsByType,
  FailedEvent,
  GapEvent,
  ProtocolEvent,
  StalledEvent,
  UnansweredEvent,
  UnstalledEvent,
} from '../client/events.ts';
import type { RelayTarget } from '../client/failover.ts';
import type { ProtocolMode, V2ClientTuning } from '../client/line-carrier.ts';
import type { ClientSessionOptions } from '../client/session-options.ts';
import type { RandomSource } from '../protocol/v2/crypto.ts';
import type { ClientTransport } from '../transport/relay-link.ts';
import type { Clock } from '../transport/system-clock.ts';
import type { TimerScheduler } from '../transport/system-timers.ts';
import type { TraceSink } from '../transport/trace-sink.ts';

/** The session's timings; its jitter source defaults to one drawn from ChatClientOptions.random. */
export type ChatSessionOptions = Omit<ClientSessionOptions, 'nick' | 'random' | 'roomKeys'> &
  Partial<Pick<ClientSessionOptions, 'random'>>;

export interface ChatClientOptions {
  readonly nick: string;
  /** The relay: a host name (resolved once, at connect) or an IP literal. */
  readonly host: string;
  readonly port: number;
  /** Sees every datagram in and out of the link (for `--trace`). */
  readonly trace?: TraceSink;
  /** Timings for the session (ping interval, silence warning, join retries); defaults come from limits.ts. */
  readonly session?: ChatSessionOptions;
  /** A monotonic clock in milliseconds; defaults to performance.now, which wall-clock changes do not move. */
  readonly clock?: Clock;
  /**
   * `auto` (default): v2 if the relay speaks it, else v1 after about a second of silence (the seed's relay);
   * `v1`: the seed's protocol only; `v2`: refuse to talk to a relay without v2. Over a link that cannot
   * carry v2 (a stream), `auto` is v1 and `v2` is refused at connect.
   */
  readonly protocol?: ProtocolMode;
  /**
   * Protocol v2's timers and windows (retransmission bounds, ack delay, windows, give-up, keep-alive, the
   * idle probe and stall time of session/liveness.ts); each defaults to protocol/v2/limits.ts.
   */
  readonly v2?: V2ClientTuning;
  /** How the relay is reached: a link factory and its resolver. Default: UDP, resolved by the system. */
  readonly transport?: ClientTransport;
  /** The one-shot timer the client re-arms from the session's deadlines; default setTimeout. */
  readonly timers?: TimerScheduler;
  /** Randomness for v2's keys and nonces and the ping jitter; default the operating system's CSPRNG. */
  readonly random?: RandomSource;
  /**
   * More relays of the same cluster, tried in order after `host:port` (docs/PROTOCOL-v2.md, section 16).
   * Over v2 the client holds a resumption ticket; when its relay is lost (it acknowledges nothing: the
   * `stalled` event) the client moves to the next relay and resumes there with the same nick and rooms,
   * says again the lines the lost relay had not acknowledged, and fills what it missed from history.
   */
  readonly failover?: readonly RelayTarget[];
  /**
   * The pin of each relay (docs/PROTOCOL-v2.md, 5.3 and 16): asked whenever a v2 session to a relay is
   * opened, at connect and at every move, with that relay as given (`host` and `port`); the fingerprint it
   * must prove, or undefined for a first contact (any key that proves itself is taken, and reported in
   * `relay-identity` with that relay's address, to be pinned under it). `v2.pinnedFingerprint`, when given,
   * is the first relay's pin only: a relay moved to is checked against its own pin, never another's.
   */
  readonly pinFor?: (relay: RelayTarget) => string | undefined;
}

/** The client gave up on relay `from` (it stopped answering) and is connecting to `to`. */
export interface MovingEvent {
  readonly type: 'moving';
  readonly from: string;
  readonly to: string;
}

/**
 * The client is on relay `to` again: `resumed` when it restored our session from its ticket; otherwise it
 * joined as usual (`refused` says why it did not resume, or is null when there was no ticket).
 */
export interface MovedEvent {
  readonly type: 'moved';
  readonly from: string;
  readonly to: string;
  readonly resumed: boolean;
  readonly refused: string | null;
  /** Lines the lost relay had not acknowledged, said again here. */
  readonly resent: number;
}

/**
 * A relay moved to was refused (docs/PROTOCOL-v2.md, 16): it proved another key than its pin (or failed
 * its proof, or speaks only wire 2), so no line was sent to it; the client goes on to the next relay of
 * the list. `error` is what connecting to it first would have reported.
 */
export interface RelaySkippedEvent {
  readonly type: 'relay-skipped';
  /** The refused relay, `host:port` as given (an IPv6 address in brackets). */
  readonly relay: string;
  readonly host: string;
  readonly port: number;
  readonly error: ChatClientError;
}

/** Every relay of the list was tried since the last welcome and none took us. */
export interface MoveFailedEvent {
  readonly type: 'move-failed';
  readonly tried: number;
}

/**
 * Errors are values: `unanswered` means no /join got an answer, so the relay is probably not there;
 * `no-v2` that protocol v2 was required and the relay does not speak it. The relay-identity refusals
 * (docs/PROTOCOL-v2.md, 5.3 and 12) stop the client before it sends any line: `identity-changed` (a genuine
 * ACCEPT under another key than the pinned one, given as `offered`), `identity-unverified` (ACCEPTs whose
 * proof did not verify until the handshake gave up), `wire2-only` (a pinned relay speaks only wire 2).
 */
export interface ChatClientError {
  readonly code: 'unanswered' | 'no-v2' | 'identity-changed' | 'identity-unverified' | 'wire2-only';
  readonly message: string;
  readonly attempts: number;
  /** `identity-changed`: the fingerprint the relay proved instead of the pinned one. */
  readonly offered?: string;
  /** The refusals: the refused relay as given (`host` and `port`, as in `relay-identity`). */
  readonly host?: string;
  readonly port?: number;
}

/**
 * The relay refused protected v2 (it speaks only wire version 2, or is full) or did not answer it
 * (`silent`: a v1 relay such as the seed's drops the HELLOs): the client speaks v1 to it, which is neither
 * encrypted nor authenticated, and says so.
 */
export interface V2RefusedEvent {
  readonly type: 'v2-refused';
  readonly reason: 'silent' | 'wire2-only' | 'full';
}

/**
 * A pinned relay gives no protected v2 session yet, and the client keeps trying (a pinned client never
 * falls back to v1): `unanswered` when its HELLOs got no answer, `full` when the relay refused them with
 * REJECT 3 (no room for another session); the next try is `retryMs` later. Said once per reason until a
 * session is up. `relay` is `host:port` as given.
 */
export interface V2WaitingEvent {
  readonly type: 'v2-waiting';
  readonly reason: 'unanswered' | 'full';
  readonly retryMs: number;
  readonly relay: string;
}

/**
 * v2: the relay proved this identity; `firstContact` when nothing was pinned for it (pin it, say so).
 * Sent for every relay a session opens to (a move's too), naming it as given: `relay` is `host:port` (an
 * IPv6 address in brackets), the name it is pinned under.
 */
export interface RelayIdentityEvent {
  readonly type: 'relay-identity';
  readonly fingerprint: string;
  readonly firstContact: boolean;
  readonly relay: string;
  readonly host: string;
  readonly port: number;
}

/** The session's events (an unanswered /join becomes an `error`), the carrier's v2 events, and `error`. */
export interface ChatClientEvents
  extends EventsByType<
    | Exclude<ClientEvent, UnansweredEvent>
    | ProtocolEvent
    | AckedEvent
    | FailedEvent
    | GapEvent
    | StalledEvent
    | UnstalledEvent
    | RelayIdentityEvent
    | V2RefusedEvent
    | V2WaitingEvent
    | MovingEvent
    | MovedEvent
    | MoveFailedEvent
    | RelaySkippedEvent
  > {
  error: ChatClientError;
}
