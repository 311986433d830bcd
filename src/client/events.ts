/**
 * The client's public vocabulary: its states, the events it reports and the errors say() returns. Shared by
 * the sans-I/O ClientSession, the ChatClient binding and every UI.
 */

/**
 * `new` until start(); `joining` until the relay welcomes us; `unanswered` once every /join went unanswered;
 * `refused` when the relay turned the nick down; `left` after leave(). Only `joined` pings.
 */
export type ClientState = 'new' | 'joining' | 'joined' | 'unanswered' | 'refused' | 'left';

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
  | AnsweringEvent;

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
