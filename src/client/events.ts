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
/**
 * What became of an end-to-end room line (docs/PROTOCOL-v2.md 13.3): `opened` (the text is the sealed
 * one, sanitised), `repeated` (opened, but its seq was not above the sender's last one), or why it did not
 * open, the text then saying so: `no-key`, `other-passphrase` (we hold another key for the room),
 * `forged` (our key, but it did not verify), `newer-format`. Absent on a plain line.
 */
export type E2eStatus = 'opened' | 'repeated' | 'no-key' | 'other-passphrase' | 'forged' | 'newer-format';

/**
 * A relayed chat line: `<nick> text` in the lobby, `[#room] <nick> text` in another room. From a relay
 * that keeps history, a v2 client also learns the line's id and server time (docs/PROTOCOL-v2.md).
 */
export interface ChatEvent {
  readonly type: 'chat';
  readonly room: string;
  readonly nick: string;
  readonly text: string;
  readonly line: string;
  readonly id?: number;
  /** Server time, Unix ms. */
  readonly at?: number;
  /** Set on an end-to-end room line; `line` is then the line as shown, with `[e2e] ` before the nick. */
  readonly e2e?: E2eStatus;
}
/** An action (`/me`): `* nick text`, with the room's prefix outside the lobby. */
export interface ActionEvent {
  readonly type: 'action';
  readonly room: string;
  readonly nick: string;
  readonly text: string;
  readonly line: string;
  readonly id?: number;
  readonly at?: number;
  readonly e2e?: E2eStatus;
}
/** A kept line the relay sent as history (/history, history on join, a gap fill), never a live one. */
export interface HistoryEvent {
  readonly type: 'history';
  readonly room: string;
  readonly id: number;
  /** Server time, Unix ms (to the second). */
  readonly at: number;
  readonly nick: string;
  readonly text: string;
  readonly action: boolean;
  readonly line: string;
  readonly e2e?: E2eStatus;
}
/**
 * After a reconnect, one of our own lines from before it that the relay's history handed back (the
 * history on join, or a gap fill): the relay kept it, whether or not its acknowledgement reached us.
 * Never shown (it was, when said); a dual-path client does not say it to the relay again.
 */
export interface OwnLineKeptEvent {
  readonly type: 'own-kept';
  readonly room: string;
  /** The relay's id of the line. */
  readonly id: number;
  readonly text: string;
  readonly action: boolean;
}
/**
 * After a reconnect, the room's history is over: its gap fill ended (answered, or at its deadline), or,
 * with no fill, its history on join did. Every `own-kept` of the room came before it. Never shown.
 */
export interface HistoryOverEvent {
  readonly type: 'history-over';
  readonly room: string;
}
/** The end of one history answer: `count` lines were sent. */
export interface HistoryEndEvent {
  readonly type: 'history-end';
  readonly room: string;
  readonly count: number;
  /** The id a gap fill started from, or null for any other answer. */
  readonly after: number | null;
  /** More lines lie beyond this answer. */
  readonly more: boolean;
  readonly line: string;
}
/**
 * After a reconnect: `count` lines were said in `room` while we were away; they follow this event, in
 * order (`more`: there were more than one answer holds; /history pages on).
 */
export interface GapFilledEvent {
  readonly type: 'gap-filled';
  readonly room: string;
  readonly count: number;
  readonly more: boolean;
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
  | HistoryEvent
  | HistoryEndEvent
  | OwnLineKeptEvent
  | HistoryOverEvent
  | GapFilledEvent
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
  /** Moving to another relay of the cluster (failover): that relay's `host:port`. */
  readonly movingTo?: string;
}

/** What one call produced: datagrams for the relay, in order, and events for the user. */
export interface SessionOutput {
  readonly datagrams: Uint8Array[];
  readonly events: ClientEvent[];
}

export type SayErrorCode =
  | 'empty'
  | 'line-break'
  | 'too-long'
  | 'inactive'
  | 'bad-argument'
  /** An end-to-end room line waits for the relay to confirm a /nick (the nick is sealed in). */
  | 'nick-pending'
  /** An end-to-end room line waits for the room's key, still being derived from its passphrase. */
  | 'key-pending'
  /** Too many lines already wait for a move to another relay (client/failover.ts): this one was not kept. */
  | 'move-backlog';

/** Why say() sent nothing. `chars`/`max` are set for `too-long` (bytes of text, for an encrypted line). */
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
