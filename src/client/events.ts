/**
 * The client's public vocabulary: its states, the events it reports and the errors say() returns. Shared by
 * the sans-I/O ClientSession, the ChatClient binding and every UI.
 */

/**
 * `new` until start(); `joining` until the relay welcomes us; `unanswered` once every /join went unanswered;
 * `refused` when the relay turned the nick down; `left` after leave(). Only `joined` pings. With the
 * `reconnect` option a lost relay makes it `reconnecting` (re-sending /join with back-off) instead of
 * `unanswered`.
 */
export type ClientState = 'new' | 'joining' | 'joined' | 'unanswered' | 'reconnecting' | 'refused' | 'left';

/** The relay welcomed us (or told us we already are joined); `nick` is the nick as the relay registered it. */
export interface WelcomeEvent {
  readonly type: 'welcome';
  readonly nick: string;
  readonly line: string;
}
/** A relayed chat line: `<nick> text` in the lobby, `[#room] <nick> text` in another room. */
export interface ChatEvent {
  readonly type: 'chat';
  readonly room: string;
  readonly nick: string;
  readonly text: string;
  readonly line: string;
}
/** An action (`/me`): `* nick text`, with the room's prefix outside the lobby. */
export interface ActionEvent {
  readonly type: 'action';
  readonly room: string;
  readonly nick: string;
  readonly text: string;
  readonly line: string;
}
/** A private message to us: `[msg] <nick> text`, or `[msg] * nick text` for a private action. */
export interface PrivateEvent {
  readonly type: 'private';
  readonly nick: string;
  readonly text: string;
  readonly action: boolean;
  readonly line: string;
}
/**
 * A relay notice `*** ... ***` (joins, leaves, time-outs, refusals, command answers); `room` is the room it
 * is about when the line carried a `[#room] ` prefix, null otherwise (the lobby, or the relay at large).
 */
export interface NoticeEvent {
  readonly type: 'notice';
  readonly room: string | null;
  readonly text: string;
  readonly line: string;
}
/** Any other line the relay sent. */
export interface LineEvent {
  readonly type: 'line';
  readonly line: string;
}
/** The relay refused our /join (nick in use or invalid); the session is over. */
export interface RefusedEvent {
  readonly type: 'refused';
  readonly line: string;
}
/** The relay no longer knows us (it said "please /join" while we were joined); /join is being re-sent. */
export interface RejoiningEvent {
  readonly type: 'rejoining';
}
/** Every /join went unanswered; no more are sent unless the relay speaks up. */
export interface UnansweredEvent {
  readonly type: 'unanswered';
  readonly attempts: number;
}
/** The relay has sent nothing for `seconds`; emitted once per silence. */
export interface SilentEvent {
  readonly type: 'silent';
  readonly seconds: number;
}
/** The relay spoke again after a `silent` event, which came `silentSeconds` after the last datagram. */
export interface AnsweringEvent {
  readonly type: 'answering';
  readonly silentSeconds: number;
}

/** A /ping answered: the round-trip time in milliseconds (RTT samples follow Karn's rule, see keepalive.ts). */
export interface RttEvent {
  readonly type: 'rtt';
  readonly ms: number;
}
/** The rooms the relay has us in, or the room our plain lines go to, changed (as its notices said). */
export interface RoomsEvent {
  readonly type: 'rooms';
  readonly rooms: readonly string[];
  /** Null when the relay has us in no room. */
  readonly current: string | null;
}
/** Why a reconnecting session gave up on the old conversation. */
export type ReconnectReason = 'no-answer' | 'silence' | 'unanswered' | 'server-going-down';
/** With the `reconnect` option: the relay is taken as lost and /join is being re-sent with back-off. */
export interface ReconnectingEvent {
  readonly type: 'reconnecting';
  readonly reason: ReconnectReason;
  /** Since the last datagram from the relay. */
  readonly silentSeconds: number;
}
/** With the `reconnect` option: welcomed again; `rooms` (the lobby aside) are being rejoined. */
export interface ReconnectedEvent {
  readonly type: 'reconnected';
  readonly nick: string;
  readonly rooms: readonly string[];
}

/**
 * Every line the relay sends except /pong and /ping becomes exactly one of welcome, chat, action, private,
 * notice, line or refused.
 */
export type ClientEvent =
  | WelcomeEvent
  | ChatEvent
  | ActionEvent
  | PrivateEvent
  | NoticeEvent
  | LineEvent
  | RefusedEvent
  | RejoiningEvent
  | UnansweredEvent
  | SilentEvent
  | AnsweringEvent
  | RttEvent
  | RoomsEvent
  | ReconnectingEvent
  | ReconnectedEvent;

/** The connection as the session sees it at one moment, for a status display. */
export interface ConnectionStatus {
  readonly state: ClientState;
  /** The latest round-trip time, or null before the first sample. */
  readonly rttMs: number | null;
  /** Since the last datagram from the relay (or since start, before any). */
  readonly silentMs: number;
  /** True when an answer is late: a /ping unanswered past its timeout, or the silence window passed. */
  readonly overdue: boolean;
  /** /join attempts in this round (joining) or reconnect attempts (reconnecting). */
  readonly attempt: number;
  /** Reconnecting: until the next /join; otherwise null. */
  readonly nextAttemptInMs: number | null;
}

/** What one call produced: datagrams for the relay, in order, and events for the user. */
export interface SessionOutput {
  readonly datagrams: Uint8Array[];
  readonly events: ClientEvent[];
}

export type SayErrorCode = 'empty' | 'line-break' | 'too-long' | 'inactive' | 'bad-argument';

/** Why say() sent nothing. `chars`/`max` are set for `too-long`. */
export interface SayError {
  readonly code: SayErrorCode;
  readonly message: string;
  readonly chars?: number;
  readonly max?: number;
}

export type SayResult =
  | { readonly ok: true; readonly output: SessionOutput }
  | { readonly ok: false; readonly error: SayError };

/** Which protocol this client speaks with its relay, once known (docs/PROTOCOL-v2.md, "Discovery"). */
export interface ProtocolEvent {
  readonly type: 'protocol';
  readonly protocol: 'v1' | 'v2';
}
/** v2: the relay acknowledged our line `id` (the id say() returned). */
export interface AckedEvent {
  readonly type: 'acked';
  readonly id: number;
}
/** v2: our line `id` was given up after every retransmission: the relay may not have it. */
export interface FailedEvent {
  readonly type: 'failed';
  readonly id: number;
}
/** v2: the relay gave up on `count` of its lines to us; they are lost. */
export interface GapEvent {
  readonly type: 'gap';
  readonly count: number;
}

/**
 * v2: the relay has answered nothing we sent (lines, PINGs) for the stall time, at least twice the RTO
 * (session/liveness.ts): it is probably gone. `silentMs` is since the last datagram from it.
 */
export interface StalledEvent {
  readonly type: 'stalled';
  readonly silentMs: number;
}
/** v2: the relay answered again after `stalled`, which lasted `silentMs` since its previous datagram. */
export interface UnstalledEvent {
  readonly type: 'unstalled';
  readonly silentMs: number;
}

/** Events keyed by their `type`, the shape of an emitter's event table (ChatClientEvents is one). */
export type EventsByType<Event extends { readonly type: string }> = {
  [E in Event as E['type']]: E;
};
