/**
 * ClientSession: the v1 client as a sans-I/O state machine. It never touches a socket, a timer or the clock:
 * time comes in as milliseconds, datagrams go out as bytes, and what the user should see comes out as typed
 * events. `ChatClient` binds it to UDP; tests drive it with a fake clock.
 *
 * The seed's chat.py sends one /join, pings every 10 s and prints every line but /pong. On top of that we
 * retry the /join (UDP may lose it), notice when the relay forgot us (it restarted: the seed keeps its table
 * in memory) and warn when the relay goes quiet, because a lost relay is otherwise invisible over UDP.
 */
import { codePointLength, decodeLenient, encodeLine } from '../protocol/codec.ts';
import {
  DEFAULT_PING_INTERVAL_MS,
  DEFAULT_SILENCE_WARNING_MS,
  JOIN_ATTEMPTS,
  JOIN_RETRY_MS,
  MAX_LINE_CHARS,
  PING_JITTER_FRACTION,
} from '../protocol/limits.ts';
import {
  alreadyJoined,
  JOIN_PREFIX,
  LEAVE,
  nickInUse,
  nickInvalid,
  PING,
  PLEASE_JOIN,
  PONG,
  parseWelcome,
} from '../protocol/messages.ts';
import { parseRelayLine } from '../protocol/relay-line.ts';
import { sanitizeText } from '../protocol/sanitize.ts';
import type { ClientEvent, ClientState, SayError, SayResult, SessionOutput } from './events.ts';

export interface ClientSessionOptions {
  readonly nick: string;
  /** Keep-alive period; the seed pings every 10 s so the relay's 30 s idle timer never fires. */
  readonly pingIntervalMs?: number;
  /** Each ping interval is stretched or shrunk by up to this fraction, so clients do not ping in lock-step. */
  readonly pingJitterFraction?: number;
  /** How long the relay may say nothing before a `silent` event. */
  readonly silenceWarningMs?: number;
  readonly joinRetryMs?: number;
  /** How many /join datagrams are sent in all before giving up. */
  readonly joinAttempts?: number;
  /** A number in [0, 1); injected so tests can pin the jitter. */
  readonly random?: () => number;
}

/** Why a nick cannot be sent in a /join at all, or null. The relay judges everything else about it. */
export function joinNickProblem(nick: string): string | null {
  // A line break would split the /join datagram into a /join and a chat line (v1 splits on `\n`).
  if (/[\r\n]/.test(nick)) return 'a nickname cannot contain a line break';
  return null;
}

/** The parts around the placeholder of a messages.ts template, to recognise its lines without re-typing them. */
interface LineShape {
  readonly prefix: string;
  readonly suffix: string;
}

function shapeOf(template: (value: string) => string): LineShape {
  const marker = '\u0000';
  const [prefix = '', suffix = ''] = template(marker).split(marker);
  return { prefix, suffix };
}

function fits(shape: LineShape, line: string): string | null {
  const matches =
    line.length > shape.prefix.length + shape.suffix.length &&
    line.startsWith(shape.prefix) &&
    line.endsWith(shape.suffix);
  return matches ? line.slice(shape.prefix.length, line.length - shape.suffix.length) : null;
}

const REFUSAL_SHAPES: readonly LineShape[] = [shapeOf(nickInUse), shapeOf(nickInvalid)];
const ALREADY_JOINED_SHAPE: LineShape = shapeOf(alreadyJoined);

function emptyOutput(): SessionOutput {
  return { datagrams: [], events: [] };
}

function positive(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value))
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}

export class ClientSession {
  private currentState: ClientState = 'new';
  private currentNick: string;
  private readonly pingIntervalMs: number;
  private readonly jitterFraction: number;
  private readonly silenceWarningMs: number;
  private readonly joinRetryMs: number;
  private readonly joinAttempts: number;
  private readonly random: () => number;
  private joinsSent = 0;
  private nextJoinAt = 0;
  private nextPingAt = 0;
  private lastHeardAt = 0;
  private warnedSilent = false;

  constructor(options: ClientSessionOptions) {
    const problem = joinNickProblem(options.nick);
    if (problem !== null) throw new RangeError(problem);
    this.currentNick = options.nick;
    this.pingIntervalMs = positive('pingIntervalMs', options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS);
    this.jitterFraction = options.pingJitterFraction ?? PING_JITTER_FRACTION;
    if (!(this.jitterFraction >= 0 && this.jitterFraction < 1)) {
      throw new RangeError(`pingJitterFraction must be in [0, 1), got ${this.jitterFraction}`);
    }
    this.silenceWarningMs = positive(
      'silenceWarningMs',
      options.silenceWarningMs ?? DEFAULT_SILENCE_WARNING_MS,
    );
    this.joinRetryMs = positive('joinRetryMs', options.joinRetryMs ?? JOIN_RETRY_MS);
    this.joinAttempts = Math.floor(positive('joinAttempts', options.joinAttempts ?? JOIN_ATTEMPTS));
    this.random = options.random ?? Math.random;
  }

  get state(): ClientState {
    return this.currentState;
  }

  /** The nick we asked for, or once welcomed the nick as the relay registered it. */
  get nick(): string {
    return this.currentNick;
  }

  /** Sends the first /join. Silence is measured from here: the relay owes us a welcome. */
  start(now: number): SessionOutput {
    const out = emptyOutput();
    if (this.currentState !== 'new') return out;
    this.lastHeardAt = now;
    this.beginJoin(now, out);
    return out;
  }

  /** One datagram from the relay (the binding drops datagrams from anyone else). */
  handle(now: number, bytes: Uint8Array): SessionOutput {
    const out = emptyOutput();
    this.heard(now, out);
    for (const decoded of decodeLenient(bytes)) {
      // The client does not trust the relay: every line is made inert before anything looks at it.
      const line = sanitizeText(decoded);
      if (line.length > 0) this.handleLine(now, line, out);
    }
    return out;
  }

  /** Does whatever is due at `now`: a /join retry, a /ping, a silence warning. */
  tick(now: number): SessionOutput {
    const out = emptyOutput();
    if (this.currentState === 'joining' && now >= this.nextJoinAt) this.retryJoin(now, out);
    if (this.currentState === 'joined' && now >= this.nextPingAt) {
      out.datagrams.push(encodeLine(PING));
      this.nextPingAt = now + this.jitteredPingInterval();
    }
    if (this.watchesSilence() && now >= this.lastHeardAt + this.silenceWarningMs) {
      this.warnedSilent = true;
      out.events.push({ type: 'silent', seconds: Math.floor((now - this.lastHeardAt) / 1000) });
    }
    return out;
  }

  /** When tick() next has something to do, or null when nothing is scheduled. */
  nextTickAt(): number | null {
    const due: number[] = [];
    if (this.currentState === 'joining') due.push(this.nextJoinAt);
    if (this.currentState === 'joined') due.push(this.nextPingAt);
    if (this.watchesSilence()) due.push(this.lastHeardAt + this.silenceWarningMs);
    return due.length === 0 ? null : Math.min(...due);
  }

  /** A line typed by the user. Refused lines are never truncated: the user decides what to send instead. */
  say(text: string): SayResult {
    const error = this.sayError(text);
    if (error !== null) return { ok: false, error };
    // A typed /leave ends the session here too, or the next ping would make the relay ask us to rejoin.
    if (text === LEAVE) return { ok: true, output: this.leave() };
    return { ok: true, output: { datagrams: [encodeLine(text)], events: [] } };
  }

  /** Sends /leave (the seed's goodbye) unless the relay never took us or we already left. */
  leave(): SessionOutput {
    const out = emptyOutput();
    if (!this.isActive()) return out;
    this.currentState = 'left';
    out.datagrams.push(encodeLine(LEAVE));
    return out;
  }

  private sayError(text: string): SayError | null {
    if (!this.isActive())
      return { code: 'inactive', message: `not connected to the relay (${this.currentState})` };
    if (text.length === 0) return { code: 'empty', message: 'nothing to send' };
    if (/[\r\n]/.test(text)) return { code: 'line-break', message: 'a line cannot contain a line break' };
    const chars = codePointLength(text);
    if (chars > MAX_LINE_CHARS) {
      const message = `line not sent: ${chars} characters (max ${MAX_LINE_CHARS})`;
      return { code: 'too-long', message, chars, max: MAX_LINE_CHARS };
    }
    return null;
  }

  private isActive(): boolean {
    return (
      this.currentState === 'joining' || this.currentState === 'joined' || this.currentState === 'unanswered'
    );
  }

  private watchesSilence(): boolean {
    return this.isActive() && !this.warnedSilent;
  }

  /** Any datagram from the relay is an answer, even one we do not understand. */
  private heard(now: number, out: SessionOutput): void {
    if (this.warnedSilent) {
      this.warnedSilent = false;
      out.events.push({ type: 'answering', silentSeconds: Math.floor((now - this.lastHeardAt) / 1000) });
    }
    this.lastHeardAt = now;
  }

  private handleLine(now: number, line: string, out: SessionOutput): void {
    // /pong is a transport-level ack; the seed's client never shows it.
    if (line === PONG) return;
    // The relay's own keep-alive (`udpchat relay --keepalive server`): answered, never shown.
    if (line === PING) {
      if (this.currentState === 'joined') out.datagrams.push(encodeLine(PONG));
      return;
    }
    if (
      (this.currentState === 'joining' || this.currentState === 'unanswered') &&
      this.joinReply(now, line, out)
    ) {
      return;
    }
    const event = classify(line);
    if (event.type === 'notice') this.noticeSeen(event.text);
    out.events.push(event);
    if (line === PLEASE_JOIN && (this.currentState === 'joined' || this.currentState === 'unanswered')) {
      // The relay answered a ping or a line with "please /join": it lost its table (restart) or evicted us.
      out.events.push({ type: 'rejoining' });
      this.beginJoin(now, out);
    }
  }

  /** `*** you are now known as X ***` after a /nick: a later re-join must use the new nick. */
  private noticeSeen(text: string): void {
    const prefix = 'you are now known as ';
    if (text.startsWith(prefix) && this.currentState === 'joined')
      this.currentNick = text.slice(prefix.length);
  }

  /** Recognises the relay's answer to our /join; true when the line was that answer. */
  private joinReply(now: number, line: string, out: SessionOutput): boolean {
    // "already joined" answers a retried /join whose first copy was welcomed but whose welcome was lost.
    const nick = parseWelcome(line) ?? fits(ALREADY_JOINED_SHAPE, line);
    if (nick !== null) {
      this.currentState = 'joined';
      this.currentNick = nick;
      this.nextPingAt = now + this.jitteredPingInterval();
      out.events.push({ type: 'welcome', nick, line });
      return true;
    }
    if (REFUSAL_SHAPES.some((shape) => fits(shape, line) !== null)) {
      this.currentState = 'refused';
      out.events.push({ type: 'refused', line });
      return true;
    }
    return false;
  }

  private beginJoin(now: number, out: SessionOutput): void {
    this.currentState = 'joining';
    this.joinsSent = 0;
    this.sendJoin(now, out);
  }

  private retryJoin(now: number, out: SessionOutput): void {
    if (this.joinsSent < this.joinAttempts) {
      this.sendJoin(now, out);
      return;
    }
    this.currentState = 'unanswered';
    out.events.push({ type: 'unanswered', attempts: this.joinsSent });
  }

  private sendJoin(now: number, out: SessionOutput): void {
    this.joinsSent++;
    this.nextJoinAt = now + this.joinRetryMs;
    out.datagrams.push(encodeLine(`${JOIN_PREFIX}${this.currentNick}`));
  }

  /** The ping interval scaled by a factor in [1 - jitter, 1 + jitter). */
  private jitteredPingInterval(): number {
    return this.pingIntervalMs * (1 + this.jitterFraction * (2 * this.random() - 1));
  }
}

function classify(line: string): ClientEvent {
  const read = parseRelayLine(line);
  switch (read.kind) {
    case 'chat':
    case 'action':
      return { type: read.kind, room: read.room, nick: read.nick, text: read.text, line };
    case 'private':
      return { type: 'private', nick: read.nick, text: read.text, action: read.action, line };
    case 'notice':
      return { type: 'notice', room: read.room, text: read.text, line };
    default:
      return { type: 'line', line };
  }
}
