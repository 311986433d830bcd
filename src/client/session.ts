/**
 * ClientSession: the v1 client as a sans-I/O state machine. It never touches a socket, a timer or the clock:
 * time comes in as milliseconds, datagrams go out as bytes, and what the user should see comes out as typed
 * events. `ChatClient` binds it to UDP; tests drive it with a fake clock.
 *
 * The seed's chat.py sends one /join, pings every 10 s and prints every line but /pong. On top of that we
 * retry the /join (UDP may lose it), notice when the relay forgot us (it restarted: the seed keeps its table
 * in memory) and warn when the relay goes quiet, because a lost relay is otherwise invisible over UDP. With
 * the `reconnect` option a lost relay is re-joined with back-off and our rooms with it (reconnect.ts).
 */
import { decodeLenient, encodeLine } from '../protocol/codec.ts';
import { firstWord, parseLine } from '../protocol/command-line.ts';
import { JOIN_PREFIX, LEAVE, LOBBY, PING, PLEASE_JOIN, PONG } from '../protocol/messages.ts';
import type { RoomLineKind } from '../protocol/room-cipher.ts';
import { ROOM_NONCE_BYTES } from '../protocol/room-limits.ts';
import { sanitizeText } from '../protocol/sanitize.ts';
import type {
  ClientState,
  ConnectionStatus,
  ReconnectReason,
  SayError,
  SayResult,
  SessionOutput,
} from './events.ts';
import { GapFill } from './gap-fill.ts';
import { KeepAlive } from './keepalive.ts';
import { isKeyCommand } from './key-command.ts';
import { type NoticeMeaning, readNotice } from './notice-meaning.ts';
import { RECONNECT_DEFAULTS, Reconnector, rejoinLines } from './reconnect.ts';
import { classify, readJoinAnswer } from './relay-lines.ts';
import type { RoomLineSealer, SealResult } from './room-sealer.ts';
import { type RoomsSnapshot, RoomTracker } from './room-tracker.ts';
import {
  type ClientSessionOptions,
  lineProblem,
  type SessionSettings,
  sessionSettings,
} from './session-options.ts';
import { SessionState } from './session-state.ts';

export { type ClientSessionOptions, joinNickProblem } from './session-options.ts';

/** How long a move waits for the new relay's answer to `/resume` before it sends a plain `/join`. */
export const MOVE_ANSWER_WAIT_MS = 10_000;

function emptyOutput(): SessionOutput {
  return { datagrams: [], events: [] };
}

export class ClientSession {
  private currentNick: string;
  private readonly settings: SessionSettings;
  private readonly keepAlive: KeepAlive;
  private readonly reconnect: Reconnector | null;
  /** Paces the lines that restore our rooms after a re-welcome: the reconnector, or one of its own. */
  private readonly rejoiner: Reconnector;
  /**
   * Moving to another relay of the cluster (failover.ts): set by `moving` until the next welcome, which
   * then restores rooms and fills gaps as a reconnect does. `resuming`: the relay was sent `/resume`.
   */
  private moved = false;
  private resuming = false;
  private readonly tracker = new RoomTracker();
  /** The last message id seen per room, and the fills of what was missed during a reconnect. */
  private readonly gaps = new GapFill();
  private readonly machine = new SessionState();
  private welcomedBefore = false;
  /** The room our lines go to, as we last asked for it (/switch, /join), before the relay confirms it. */
  private sayingIn: string | null = null;
  /** End-to-end room keys, and the seq counts sealed lines carry (docs/PROTOCOL-v2.md 13). */
  private readonly keyring: RoomLineSealer | null;
  /** A /nick the relay has not answered: the nick is sealed into a room line, so sealing waits. */
  private nickPending = false;

  constructor(options: ClientSessionOptions) {
    const settings = sessionSettings(options);
    this.settings = settings;
    this.currentNick = options.nick;
    this.keyring = options.roomKeys ?? null;
    const { reconnect, random } = settings;
    this.reconnect = reconnect === null ? null : new Reconnector(reconnect, random);
    this.rejoiner = this.reconnect ?? new Reconnector(RECONNECT_DEFAULTS, random);
    this.keepAlive = new KeepAlive({
      intervalMs: settings.pingIntervalMs,
      jitterFraction: settings.pingJitterFraction,
      random,
      answerTimeoutMs: reconnect?.answerTimeoutMs ?? RECONNECT_DEFAULTS.answerTimeoutMs,
      probes: reconnect?.probes ?? null,
    });
    // Before the welcome this is a guess, and the right one: every registration starts in the lobby.
    this.tracker.registered();
  }

  get state(): ClientState {
    return this.machine.state;
  }

  /** The nick we asked for, or once welcomed the nick as the relay registered it. */
  get nick(): string {
    return this.currentNick;
  }

  /** The rooms the relay has us in and the one plain lines go to, as its notices told. */
  get rooms(): RoomsSnapshot {
    return this.tracker.snapshot;
  }

  /** Sends the first /join. Silence is measured from here: the relay owes us a welcome. */
  start(now: number): SessionOutput {
    const out = emptyOutput();
    if (this.machine.state !== 'new') return out;
    this.machine.heardAt(now);
    this.beginJoin(now, out);
    return out;
  }

  /** One datagram from the relay (the binding drops datagrams from anyone else). */
  handle(now: number, bytes: Uint8Array): SessionOutput {
    const out = emptyOutput();
    // A pong that ends a silence measures the outage, not the path: it is not an RTT sample.
    const trusted = !this.machine.warnedSilent;
    this.heard(now, out);
    for (const decoded of decodeLenient(bytes)) {
      // The client does not trust the relay: every line is made inert before anything looks at it.
      const line = sanitizeText(decoded);
      if (line.length > 0) this.handleLine(now, line, trusted, out);
    }
    return out;
  }

  /** Does whatever is due at `now`: a /join retry, a /ping, a reconnect attempt, a silence warning. */
  tick(now: number): SessionOutput {
    const out = emptyOutput();
    const state = this.machine.state;
    if (state === 'joining' && now >= this.machine.nextJoinAt) this.retryJoin(now, out);
    if (state === 'reconnecting' && now >= this.machine.nextJoinAt) this.attemptReconnect(now, out);
    if (state === 'joined') this.keepAliveDue(now, out);
    const rejoinDue = this.rejoiner.nextLineDue();
    if (this.machine.state === 'joined' && rejoinDue !== null && now >= rejoinDue)
      this.sendLines(this.rejoiner.take(now), out);
    if (this.machine.watchesSilence() && now >= this.machine.lastHeardAt + this.settings.silenceWarningMs)
      this.silent(now, out);
    const gapDue = this.gaps.nextDue();
    if (gapDue !== null && now >= gapDue) out.events.push(...this.gaps.tick(now));
    return out;
  }

  /** When tick() next has something to do, or null when nothing is scheduled. */
  nextTickAt(): number | null {
    const due: number[] = [];
    const state = this.machine.state;
    if (state === 'joining' || state === 'reconnecting') due.push(this.machine.nextJoinAt);
    if (state === 'joined') due.push(this.keepAlive.nextAt());
    const rejoinDue = this.rejoiner.nextLineDue();
    if (state === 'joined' && rejoinDue !== null) due.push(rejoinDue);
    if (this.machine.watchesSilence()) due.push(this.machine.lastHeardAt + this.settings.silenceWarningMs);
    const gapDue = this.gaps.nextDue();
    if (gapDue !== null) due.push(gapDue);
    return due.length === 0 ? null : Math.min(...due);
  }

  /** The connection at `now`, for a status display. */
  connection(now: number): ConnectionStatus {
    return this.machine.status(now, {
      rttMs: this.keepAlive.rttMs,
      pingOverdue: this.keepAlive.overdue(now),
      reconnectAttempt: this.reconnect?.attempt ?? 0,
      silenceWarningMs: this.settings.silenceWarningMs,
    });
  }

  /**
   * A line typed by the user. Refused lines are never truncated: the user decides what to send instead. A
   * line or /me for a room we hold a key for is sealed (docs/PROTOCOL-v2.md 13.3) and sent as a plain line.
   */
  say(text: string): SayResult {
    const error = this.sayError(text);
    if (error !== null) return { ok: false, error };
    // A typed /leave ends the session here too, or the next ping would make the relay ask us to rejoin.
    if (text === LEAVE) return { ok: true, output: this.leave() };
    const sealed = this.sealed(text);
    if (sealed !== null && !sealed.ok) return sealed;
    this.rememberOwn(text, sealed?.line ?? null);
    return { ok: true, output: { datagrams: [encodeLine(sealed?.line ?? text)], events: [] } };
  }

  /** The sealed form of a line or /me for a room we hold a key for; null for anything sent as typed. */
  private sealed(text: string): SealResult | null {
    const parsed = parseLine(text);
    const said: [RoomLineKind, string] | null =
      parsed.kind === 'text'
        ? ['message', parsed.text]
        : parsed.name === 'me' && parsed.args !== ''
          ? ['action', parsed.args]
          : null;
    const room = this.sayingIn ?? this.tracker.snapshot.current;
    const keyring = this.keyring;
    if (said === null || room === null || keyring === null || !keyring.seals(room)) return null;
    if (this.nickPending) {
      const message = `waiting for the relay to confirm your new nick before encrypting lines for ${room}`;
      return { ok: false, error: { code: 'nick-pending', message } };
    }
    if (this.settings.randomBytes === null) {
      const message = 'this client has no source of random bytes, so it cannot encrypt';
      return { ok: false, error: { code: 'inactive', message } };
    }
    return keyring.seal(
      room,
      this.currentNick,
      said[0],
      said[1],
      this.settings.randomBytes(ROOM_NONCE_BYTES),
    );
  }

  /**
   * A line to the current room (plain or /me) is remembered, so history never shows it back as missed; a
   * sealed one as the relay keeps it. A /nick makes sealing wait for the relay's answer.
   */
  private rememberOwn(text: string, sealed: string | null): void {
    const parsed = parseLine(text);
    if (parsed.kind === 'command' && (parsed.name === 'switch' || parsed.name === 'join')) {
      // The room the next line goes to, before the relay confirms it (a UI switches, then says at once).
      const [room] = firstWord(parsed.args);
      if (room.startsWith('#')) this.sayingIn = room;
      return;
    }
    // The relay says nothing to a /nick of the nick we have.
    if (parsed.kind === 'command' && parsed.name === 'nick' && parsed.args.trim() !== this.currentNick)
      this.nickPending = true;
    const room = this.sayingIn ?? this.tracker.snapshot.current;
    if (room === null) return;
    if (sealed !== null) this.gaps.said(room, sealed, false);
    else if (parsed.kind === 'text') this.gaps.said(room, parsed.text, false);
    else if (parsed.name === 'me') this.gaps.said(room, parsed.args, true);
  }

  /** A /ping now, to measure the round trip (`/lag`); the answer comes as an `rtt` event. */
  ping(now: number): SayResult {
    if (this.machine.state !== 'joined')
      return { ok: false, error: { code: 'inactive', message: `not joined (${this.machine.state})` } };
    this.keepAlive.pingNow(now);
    return { ok: true, output: { datagrams: [encodeLine(PING)], events: [] } };
  }

  /**
   * The transport under us lost its session and got a new one (v2 after a relay restart, a stream link's
   * new connection): the relay no longer knows our nick, so join again at once instead of waiting for its
   * "please /join", or for the next attempt of a reconnect that is backing off.
   */
  rejoin(now: number): SessionOutput {
    const out = emptyOutput();
    const state = this.machine.state;
    if (state !== 'joined' && state !== 'unanswered' && state !== 'reconnecting') return out;
    out.events.push({ type: 'rejoining' });
    this.beginJoin(now, out);
    return out;
  }

  /**
   * Our relay is lost and the client moves to another (client/failover.ts): nothing is sent until the new
   * session is up, then `resumeSent` (the binding sent `/resume`) or `joinHere` (a plain `/join`). If the
   * new relay says nothing for MOVE_ANSWER_WAIT_MS, a plain `/join` goes out anyway.
   */
  moving(now: number): SessionOutput {
    const out = emptyOutput();
    if (!this.machine.isActive()) return out;
    this.moved = true;
    this.resuming = false;
    this.machine.state = 'reconnecting';
    this.machine.joinsSent = 0;
    this.machine.lastJoinAt = now;
    this.machine.nextJoinAt = now + MOVE_ANSWER_WAIT_MS;
    return out;
  }

  /** The binding sent `/resume` on the new relay; its welcome (or refusal) is awaited. */
  resumeSent(now: number): void {
    this.resuming = true;
    this.machine.lastJoinAt = now;
    this.machine.nextJoinAt = now + MOVE_ANSWER_WAIT_MS;
  }

  /** No ticket, or the new relay refused it: join there as usual (our rooms follow the welcome). */
  joinHere(now: number): SessionOutput {
    const out = emptyOutput();
    if (!this.moved || this.machine.state === 'joined') return out;
    this.resuming = false;
    this.beginJoin(now, out);
    return out;
  }

  /** The relay resumed us in `rooms`: the rooms of ours it did not restore are joined again. */
  restored(now: number, rooms: readonly string[]): void {
    const { rooms: ours, current } = this.tracker.snapshot;
    const missing = ours.filter((room) => room !== LOBBY && !rooms.includes(room));
    if (missing.length > 0) this.rejoiner.append(now, rejoinLines(missing, current, LOBBY));
  }

  /** Sends /leave (the seed's goodbye, with an optional message) unless the relay never took us or we left. */
  leave(message = ''): SessionOutput {
    const out = emptyOutput();
    if (!this.machine.isActive()) return out;
    this.machine.state = 'left';
    const text = message.replace(/[\r\n]+/g, ' ').trim();
    out.datagrams.push(encodeLine(text === '' ? LEAVE : `${LEAVE} ${text}`));
    return out;
  }

  private sayError(text: string): SayError | null {
    if (!this.machine.isActive())
      return { code: 'inactive', message: `not connected to the relay (${this.machine.state})` };
    // A passphrase must never reach the relay, whatever UI handed us the line.
    if (isKeyCommand(text))
      return { code: 'bad-argument', message: "/key is the client's own command and is never sent" };
    return lineProblem(text);
  }

  /** Any datagram from the relay is an answer, even one we do not understand. */
  private heard(now: number, out: SessionOutput): void {
    if (this.machine.warnedSilent) {
      this.machine.warnedSilent = false;
      out.events.push({ type: 'answering', silentSeconds: this.machine.silentSeconds(now) });
    }
    this.machine.heardAt(now);
    this.keepAlive.heard();
    // Something came back while we were backing off: the relay (or a new one) is there, ask again soon.
    // Not while moving: the new relay's first datagrams come before its answer to `/resume`.
    if (this.machine.state === 'reconnecting' && this.reconnect !== null && !this.moved)
      this.machine.nextJoinAt = Math.min(
        this.machine.nextJoinAt,
        this.machine.lastJoinAt + this.reconnect.baseMs,
      );
  }

  private handleLine(now: number, line: string, trusted: boolean, out: SessionOutput): void {
    // /pong is a transport-level ack; the seed's client never shows it.
    if (line === PONG) {
      const rtt = this.keepAlive.pong(now, trusted);
      if (rtt !== null) out.events.push({ type: 'rtt', ms: rtt });
      return;
    }
    // The relay's own keep-alive (`udpchat relay --keepalive server`): answered, never shown.
    if (line === PING) {
      if (this.machine.state === 'joined') out.datagrams.push(encodeLine(PONG));
      return;
    }
    if (this.machine.awaitsWelcome() && this.joinReply(now, line, out)) return;
    const event = classify(line);
    for (const shown of this.gaps.take(event, this.currentNick))
      out.events.push(this.keyring?.open(shown) ?? shown);
    if (event.type === 'notice') this.noticeSeen(now, event.room, event.text, out);
    if (line === PLEASE_JOIN && (this.machine.state === 'joined' || this.machine.state === 'unanswered')) {
      // The relay answered a ping or a line with "please /join": it lost its table (restart) or evicted us.
      out.events.push({ type: 'rejoining' });
      this.beginJoin(now, out);
    }
  }

  /** Follows the notices that change our nick, our rooms, or announce the relay's shutdown. */
  private noticeSeen(now: number, room: string | null, text: string, out: SessionOutput): void {
    if (this.machine.state !== 'joined') return;
    const meaning = readNotice(text);
    // After /nick a later re-join must use the new nick.
    if (meaning.kind === 'you-renamed') this.currentNick = meaning.nick;
    this.roomLinesSeen(meaning, room ?? LOBBY);
    if (this.tracker.observe(meaning, room, this.currentNick))
      out.events.push({ type: 'rooms', ...this.rooms });
    if (this.tracker.snapshot.current === this.sayingIn) this.sayingIn = null;
    if (meaning.kind === 'server-going-down' && this.reconnect !== null)
      this.startReconnect(now, 'server-going-down', out);
  }

  /**
   * What the seq rule of room lines follows (docs/PROTOCOL-v2.md 13.3): joins restart a sender's count. A
   * /nick is answered by "you are now" or by a refusal, which reads as no known notice.
   */
  private roomLinesSeen(meaning: NoticeMeaning, room: string): void {
    if (meaning.kind === 'you-joined') this.keyring?.joined(meaning.room);
    else if (meaning.kind === 'joined') this.keyring?.memberJoined(room, meaning.nick);
    if (meaning.kind === 'you-renamed' || meaning.kind === 'other') this.nickPending = false;
  }

  /** Recognises the relay's answer to our /join; true when the line was that answer. */
  private joinReply(now: number, line: string, out: SessionOutput): boolean {
    const answer = readJoinAnswer(line);
    if (answer === null) return false;
    if (answer.kind === 'refused') {
      // A reconnecting client keeps trying: the refusal is usually our own old registration, not yet timed out.
      if (this.reconnect !== null && this.welcomedBefore) return false;
      this.machine.state = 'refused';
      out.events.push({ type: 'refused', line });
      return true;
    }
    this.welcomed(now, answer.nick, line, out);
    return true;
  }

  private welcomed(now: number, nick: string, line: string, out: SessionOutput): void {
    // Karn's rule again: only a /join answered at its first sending is a round-trip sample.
    if (this.machine.state === 'joining' && this.machine.joinsSent === 1)
      this.keepAlive.sample(now - this.machine.lastJoinAt);
    const reconnected = this.welcomedBefore && (this.reconnect !== null || this.moved);
    const { moved, resuming } = this;
    this.moved = false;
    this.resuming = false;
    this.machine.state = 'joined';
    this.welcomedBefore = true;
    this.currentNick = nick;
    this.nickPending = false;
    // Registered again: every room is joined anew, so every seq count starts again.
    this.keyring?.registered();
    this.keepAlive.start(now);
    out.events.push({ type: 'welcome', nick, line });
    if (!reconnected) {
      this.tracker.registered();
      return;
    }
    const { rooms, current } = this.tracker.snapshot;
    // A move is told by the binding, which knows both relays (ChatClient's `moved`).
    if (!moved) out.events.push({ type: 'reconnected', nick, rooms: rooms.filter((room) => room !== LOBBY) });
    const gapRequests = this.gaps.begin(now, rooms.includes(LOBBY) ? rooms : [LOBBY, ...rooms]);
    // Resumed: the relay restored the rooms itself (`restored` joins any it left out).
    const rejoin = resuming
      ? this.rejoiner.rejoin(now, [], null, LOBBY, gapRequests)
      : this.rejoiner.rejoin(now, rooms, current, LOBBY, gapRequests);
    this.sendLines(rejoin, out);
  }

  private sendLines(lines: readonly string[], out: SessionOutput): void {
    for (const line of lines) out.datagrams.push(encodeLine(line));
  }

  private keepAliveDue(now: number, out: SessionOutput): void {
    const action = this.keepAlive.tick(now);
    if (action === 'ping') out.datagrams.push(encodeLine(PING));
    if (action === 'lost') this.startReconnect(now, 'no-answer', out);
  }

  /** The relay has said nothing for the silence window: warn once, and with `reconnect` give up on it. */
  private silent(now: number, out: SessionOutput): void {
    this.machine.warnedSilent = true;
    out.events.push({ type: 'silent', seconds: this.machine.silentSeconds(now) });
    if (this.reconnect !== null && this.machine.state === 'joined') this.startReconnect(now, 'silence', out);
  }

  private beginJoin(now: number, out: SessionOutput): void {
    this.machine.state = 'joining';
    this.machine.joinsSent = 0;
    this.sendJoin(now, this.settings.joinRetryMs, out);
  }

  private retryJoin(now: number, out: SessionOutput): void {
    if (this.machine.joinsSent < this.settings.joinAttempts) {
      this.sendJoin(now, this.settings.joinRetryMs, out);
      return;
    }
    if (this.reconnect !== null) {
      this.startReconnect(now, 'unanswered', out);
      return;
    }
    this.machine.state = 'unanswered';
    out.events.push({ type: 'unanswered', attempts: this.machine.joinsSent });
  }

  /**
   * Gives up on the conversation and re-sends /join with back-off. A relay announcing its shutdown is given
   * a first wait (it is closing its socket); a relay that stopped answering is asked at once.
   */
  private startReconnect(now: number, reason: ReconnectReason, out: SessionOutput): void {
    if (this.reconnect === null) return;
    this.machine.state = 'reconnecting';
    out.events.push({ type: 'reconnecting', reason, silentSeconds: this.machine.silentSeconds(now) });
    const wait = this.reconnect.begin(reason === 'server-going-down');
    if (wait > 0) this.machine.nextJoinAt = now + wait;
    else this.attemptReconnect(now, out);
  }

  private attemptReconnect(now: number, out: SessionOutput): void {
    if (this.reconnect !== null) this.sendJoin(now, this.reconnect.nextAttempt(), out);
    // A move's wait for the new relay ran out, in a session that does not reconnect: a bounded /join.
    else this.beginJoin(now, out);
  }

  private sendJoin(now: number, waitMs: number, out: SessionOutput): void {
    this.machine.joinsSent++;
    this.machine.lastJoinAt = now;
    this.machine.nextJoinAt = now + waitMs;
    out.datagrams.push(encodeLine(`${JOIN_PREFIX}${this.currentNick}`));
  }
}
