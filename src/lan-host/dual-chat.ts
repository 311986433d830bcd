/**
 * DualChat: `chat --relay H:P --multicast G:P`, a relay client and a LAN peer at once, behind ChatClient's
 * own API so every UI runs on it unchanged. Each lobby line is said on both paths; each line heard is shown
 * once (lan/dual/dual-merge.ts), whichever path brought it first. The relay stays the authority for rooms,
 * history and presence; while it is unreachable (the client's own liveness: a v2 stall, a silence, a
 * reconnect) lobby lines go on over the LAN alone, and when it is back they are said to it again
 * (lan/dual/catch-up.ts). Only this binding reads the clock; the decisions are in lan/dual/.
 */
import type { GapFilledEvent, HistoryEndEvent } from '../client/events.ts';
import type { ChatSayResult } from '../client/relay-commands.ts';
import { RelayCommands } from '../client/relay-commands.ts';
import type { Listener } from '../client/typed-emitter.ts';
import type { ChatClient, ChatClientEvents } from '../client-host/chat-client.ts';
import { lineKey, RelayCatchUp } from '../lan/dual/catch-up.ts';
import { DualMerge, type SpokenLine } from '../lan/dual/dual-merge.ts';
import { NextLineRoom } from '../lan/dual/next-line-room.ts';
import type { LanEvent, LanRefusal } from '../lan/events.ts';
import { parseLine } from '../protocol/command-line.ts';
import * as messages from '../protocol/messages.ts';
import { LOBBY } from '../protocol/messages.ts';
import type { RoomKey } from '../protocol/room-key.ts';
import { type Clock, systemClock } from '../transport/system-clock.ts';
import { type CancelTimer, systemTimers, type TimerScheduler } from '../transport/system-timers.ts';
import type { LanChat } from './lan-chat.ts';

/** The status bar's words for a lost relay (the shape of the full-screen UI's StateText). */
export interface PathText {
  readonly text: string;
  readonly level: 'bad';
}

/** Which paths carry the lobby now. */
export type DualPathState = 'both' | 'lan-only';

/** Every event ChatClient emits, for re-emitting; `satisfies` keeps the list complete. */
const CLIENT_EVENTS = {
  welcome: true,
  chat: true,
  action: true,
  history: true,
  'history-end': true,
  'own-kept': true,
  'history-over': true,
  'gap-filled': true,
  private: true,
  notice: true,
  line: true,
  refused: true,
  rejoining: true,
  silent: true,
  answering: true,
  rtt: true,
  rooms: true,
  reconnecting: true,
  reconnected: true,
  protocol: true,
  acked: true,
  failed: true,
  gap: true,
  stalled: true,
  unstalled: true,
  'relay-identity': true,
  'v2-refused': true,
  'v2-waiting': true,
  moving: true,
  moved: true,
  'move-failed': true,
  'relay-skipped': true,
  error: true,
} as const satisfies Record<keyof ChatClientEvents, true>;

/** Events after which the relay may have been lost or found again. */
const LIVENESS_EVENTS = [
  'welcome',
  'silent',
  'answering',
  'stalled',
  'unstalled',
  'reconnecting',
  'reconnected',
  'rejoining',
] as const;

interface HeldGapFill {
  readonly marker: GapFilledEvent;
  /** Missed lines shown (their LAN copies were not). */
  shown: number;
  readonly after: (() => void)[];
}

export interface DualChatOptions {
  readonly clock?: Clock;
  readonly timers?: TimerScheduler;
}

/**
 * The relay's liveness is re-read this often besides at its events: a relay that merely goes quiet turns
 * `overdue` with the clock, not with an event.
 */
export const PATH_CHECK_MS = 1000;
/** Lines the LAN peers showed come back from the relay within this (re-sent, or in the gap fill). */
const CATCH_UP_MAX_AGE_MS = 60 * 60_000;

export class DualChat extends RelayCommands<ChatClientEvents> {
  private readonly merge = new DualMerge();
  private readonly catchUp: RelayCatchUp;
  private readonly clock: Clock;
  private readonly timers: TimerScheduler;
  private cancelCheck: CancelTimer | undefined;
  private closed = false;
  private readonly pathListeners = new Set<Listener<DualPathState>>();
  private path: DualPathState = 'both';
  /** A lobby gap fill's marker and what followed it in the same turn, until the turn ends. */
  private gapFill: HeldGapFill | null = null;
  /** Lobby history lines (outside a gap fill) dropped as already shown, since the last history's end. */
  private historyMerged = 0;
  /** The relay has welcomed us at least once: from then on the LAN carries the lobby without it. */
  private welcomed = false;
  /** The relay is back, and its "relay back" notice waits for the catch-up's hold to end. */
  private backPending = false;
  private readonly nextLineRoom = new NextLineRoom();

  constructor(
    private readonly client: ChatClient,
    private readonly lan: LanChat,
    options: DualChatOptions = {},
  ) {
    super();
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
    this.catchUp = new RelayCatchUp(CATCH_UP_MAX_AGE_MS);
    // Before the events are passed on: a UI that says a line on `welcome` finds the path already known.
    client.on('acked', (e) => this.catchUp.acked(e.id));
    client.on('failed', (e) => this.catchUp.failed(e.id));
    // Before the path is re-read: what the lost session never acknowledged is said again on the new one.
    client.on('rejoining', () => this.catchUp.sessionLost());
    client.on('reconnected', () => this.catchUp.reconnected(this.clock()));
    // The relay's history after the reconnect hands back the lines it kept: those are not said again.
    client.on('own-kept', (e) => {
      if (e.room === LOBBY) this.catchUp.keptByRelay(e.id, lineKey(e.text, e.action));
    });
    client.on('history-over', (e) => {
      if (e.room === LOBBY) this.lobbyHistoryOver();
    });
    for (const name of LIVENESS_EVENTS) client.on(name, () => this.checkPath());
    client.on('rooms', (rooms) => this.nextLineRoom.relayTalksIn(rooms.current));
    this.forwardClientEvents();
    this.listenToLan();
    this.armCheck();
  }

  /** `both` while the relay answers; `lan-only` while it is lost (after it first welcomed us). */
  get pathState(): DualPathState {
    return this.path;
  }

  /** The multicast group, `239.255.0.1:9999`. */
  get groupLabel(): string {
    return this.lan.groupLabel;
  }

  /** How many LAN peers are heard now (ourselves excluded). */
  lanPeers(): number {
    return this.lan.who().filter((entry) => !entry.self).length;
  }

  /** What the status bar says while the relay is lost; null while it carries the lobby (its own status). */
  stateText(): PathText | null {
    if (this.path === 'both') return null;
    const peers = this.lanPeers();
    const heard = peers === 1 ? '1 LAN peer' : `${peers} LAN peers`;
    return { text: `relay lost — LAN only, ${heard}`, level: 'bad' };
  }

  /** Called with the new state each time the lobby loses or regains the relay. */
  onPathChange(listener: Listener<DualPathState>): () => void {
    this.pathListeners.add(listener);
    return () => this.pathListeners.delete(listener);
  }

  // ChatClient's surface, passed through.
  /** `joined` while the LAN carries the lobby for a lost relay, so the UIs let lines be typed. */
  get state(): ChatClient['state'] {
    return this.path === 'lan-only' ? 'joined' : this.client.state;
  }
  get nick(): string {
    return this.client.nick;
  }
  get relay(): ChatClient['relay'] {
    return this.client.relay;
  }
  get local(): ChatClient['local'] {
    return this.client.local;
  }
  get stats(): ChatClient['stats'] {
    return this.client.stats;
  }
  get rooms(): ChatClient['rooms'] {
    return this.client.rooms;
  }
  get protocol(): ChatClient['protocol'] {
    return this.client.protocol;
  }
  connection(): ReturnType<ChatClient['connection']> {
    return this.client.connection();
  }
  pathStats(): ReturnType<ChatClient['pathStats']> {
    return this.client.pathStats();
  }
  ping(): ChatSayResult {
    return this.client.ping();
  }
  rebind(): Promise<void> {
    return this.client.rebind();
  }
  setRoomKey(room: string, passphrase: string): Promise<string> {
    return this.client.setRoomKey(room, passphrase);
  }
  holdRoomKey(room: string, key: RoomKey): void {
    this.client.holdRoomKey(room, key);
  }
  forgetRoomKey(room: string): boolean {
    return this.client.forgetRoomKey(room);
  }
  sealsIn(room: string): boolean {
    return this.client.sealsIn(room);
  }

  /** A lobby line goes on both paths (the LAN alone while the relay is lost); anything else to the relay. */
  override say(text: string): ChatSayResult {
    const spoken = this.lobbyLine(text);
    this.nextLineRoom.saying(text);
    this.checkPath();
    if (spoken === null) return this.toRelayOnly(text);
    const now = this.clock();
    if (this.path === 'lan-only') {
      const refusal = this.sayOnLan(spoken);
      if (refusal !== null) return { ok: false, error: { code: 'inactive', message: refusal.message } };
      this.catchUp.missed(now, text, lineKey(spoken.text, spoken.action));
      return { ok: true };
    }
    const result = this.client.say(text);
    if (!result.ok) return result;
    // A LAN refusal (its own rate limit) costs nothing: the relay carries the line.
    this.sayOnLan(spoken);
    if (result.id !== undefined) this.catchUp.sent(now, result.id, text, lineKey(spoken.text, spoken.action));
    // No id for the UI: the relay's acknowledgement is this binding's to watch, and a line the relay lost
    // is said to it again under a new id, so "not delivered" would be untrue.
    return { ok: true };
  }

  async leave(message = ''): Promise<void> {
    await Promise.all([this.client.leave(message), this.lan.leave()]);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelCheck?.();
    await Promise.all([this.client.close(), this.lan.close()]);
  }

  /**
   * The line as the LAN carries it, when `text` is a line or /me in the lobby; null otherwise. A lobby
   * sealed end to end (/key) stays on the relay: the LAN would carry it in clear.
   */
  private lobbyLine(text: string): SpokenLine | null {
    const room = this.nextLineRoom.room(this.client.rooms.current);
    if (room !== LOBBY.toLowerCase() || this.client.sealsIn(LOBBY)) return null;
    if (text.startsWith('/me ')) return { nick: this.nick, text: text.slice(4), action: true };
    if (text.startsWith('//')) return { nick: this.nick, text: text.slice(1), action: false };
    if (text.startsWith('/')) return null;
    return { nick: this.nick, text, action: false };
  }

  /**
   * A command, or a line for another room, needs the relay. While it is lost it is refused at once (the UI
   * keeps it in the input, to be sent again) instead of waiting to be reported "not delivered" when the
   * relay comes back, perhaps minutes later.
   */
  private toRelayOnly(text: string): ChatSayResult {
    if (this.path !== 'lan-only') return this.client.say(text);
    return { ok: false, error: { code: 'inactive', message: relayOnlyRefusal(text) } };
  }

  private sayOnLan(spoken: SpokenLine): LanRefusal | null {
    return spoken.action ? this.lan.act(spoken.text) : this.lan.say(spoken.text);
  }

  private forwardClientEvents(): void {
    for (const name of Object.keys(CLIENT_EVENTS) as (keyof ChatClientEvents)[])
      this.client.on(name, (event) => this.forward(name, event));
  }

  private forward<K extends keyof ChatClientEvents>(name: K, event: ChatClientEvents[K]): void {
    if (name === 'gap-filled' && (event as GapFilledEvent).room === LOBBY) {
      this.holdGapFill(event as GapFilledEvent);
      return;
    }
    if (name === 'history-end' && (event as HistoryEndEvent).room === LOBBY) {
      this.historyEnd(event as HistoryEndEvent);
      return;
    }
    if (!this.shows(name, event)) {
      if (name === 'history' && this.gapFill === null) this.historyMerged++;
      return;
    }
    if (this.gapFill === null) {
      this.emit(name, event);
      return;
    }
    if (name === 'history') this.gapFill.shown++;
    this.gapFill.after.push(() => this.emit(name, event));
  }

  /**
   * A lobby gap fill: the marker ("12 lines while you were away") comes first, then the missed lines, all
   * in one turn of the event loop. Some of them the LAN already showed, so the marker waits for the end of
   * that turn to count only the lines shown, and is left out when the LAN showed them all.
   */
  private holdGapFill(marker: GapFilledEvent): void {
    this.releaseGapFill();
    this.gapFill = { marker, shown: 0, after: [] };
    queueMicrotask(() => this.releaseGapFill());
  }

  private releaseGapFill(): void {
    const held = this.gapFill;
    if (held === null) return;
    this.gapFill = null;
    const { marker } = held;
    // "Nothing was said while you were away" is untrue of a lobby the LAN carried: no marker then.
    if (held.shown > 0 || marker.more) this.emit('gap-filled', { ...marker, count: held.shown });
    for (const emit of held.after) emit();
  }

  /** The end of a lobby history counts only its lines shown (as the gap fill does for our own lines). */
  private historyEnd(event: HistoryEndEvent): void {
    const merged = this.historyMerged;
    this.historyMerged = 0;
    if (merged === 0) this.emit('history-end', event);
    else if (event.count > merged) this.emit('history-end', { ...event, count: event.count - merged });
  }

  /** A relay line in the lobby is shown only if its LAN copy was not. */
  private shows<K extends keyof ChatClientEvents>(name: K, event: ChatClientEvents[K]): boolean {
    const e = event as ChatClientEvents['chat' | 'action' | 'history'];
    if ((name !== 'chat' && name !== 'action' && name !== 'history') || e.room !== LOBBY) return true;
    const spoken = {
      nick: e.nick,
      text: e.text,
      action: e.type === 'history' ? e.action : e.type === 'action',
    };
    return e.type === 'history'
      ? this.merge.admitHistory(this.clock(), spoken)
      : this.merge.admit(this.clock(), 'relay', spoken);
  }

  private listenToLan(): void {
    this.lan.on('line', (e) => this.lanLine(e.nick, e.text, false));
    this.lan.on('action', (e) => this.lanLine(e.nick, e.text, true));
    // While the relay carries the lobby it is the authority for presence, and its copy fills a LAN gap.
    for (const name of ['joined', 'left', 'timed-out', 'gap', 'collision', 'key-mismatch'] as const)
      this.lan.on(name, (e: LanEvent) => {
        const text = lanNotice(e);
        if (text !== null && (this.path === 'lan-only' || e.type === 'key-mismatch')) this.notice(text);
      });
  }

  private lanLine(nick: string, text: string, action: boolean): void {
    if (!this.merge.admit(this.clock(), 'lan', { nick, text, action })) return;
    if (action)
      this.emit('action', { type: 'action', room: LOBBY, nick, text, line: messages.action(nick, text) });
    else this.emit('chat', { type: 'chat', room: LOBBY, nick, text, line: messages.chat(nick, text) });
  }

  /** Re-reads the relay's liveness; on a change tells the listeners, and on the relay's return catches it up. */
  private checkPath(): void {
    if (this.client.state === 'joined') this.welcomed = true;
    const status = this.client.connection();
    const lost = this.welcomed && (status.state !== 'joined' || status.overdue);
    const next: DualPathState = lost ? 'lan-only' : 'both';
    if (next === this.path) return;
    this.path = next;
    if (next === 'both') {
      // At the end of this turn: a `welcome` after a reconnect is followed in the same turn by
      // `reconnected`, which hands back every line the old session never acknowledged.
      queueMicrotask(() => this.relayBack());
    } else {
      this.backPending = false;
      this.notice(pathNotice(next, this.lan.groupLabel, NOTHING_SAID));
    }
    for (const listener of [...this.pathListeners]) listener(next);
  }

  private notice(text: string): void {
    this.emit('notice', { type: 'notice', room: null, text, line: messages.notice(text) });
  }

  /** Re-reads the path every PATH_CHECK_MS until closed. */
  private armCheck(): void {
    if (this.closed) return;
    this.cancelCheck = this.timers(PATH_CHECK_MS, () => {
      this.checkPath();
      // A relay with no store sends no history: the catch-up's hold ends with the clock.
      if (this.backPending) this.relayBack();
      this.armCheck();
    });
  }

  /** The lobby's history after a reconnect is over: the lines the relay kept are known. */
  private lobbyHistoryOver(): void {
    this.catchUp.historyOver();
    if (this.backPending) this.relayBack();
  }

  /**
   * The relay is back: once its history after a reconnect has told what it kept (catch-up.ts), the rest
   * is said to it again and the reader told.
   */
  private relayBack(): void {
    if (this.path !== 'both') return;
    if (this.catchUp.size > 0 && this.catchUp.held(this.clock())) {
      this.backPending = true;
      return;
    }
    this.backPending = false;
    this.notice(pathNotice('both', this.lan.groupLabel, this.sayMissedLines()));
  }

  /**
   * The relay is back: what it missed is said to it again. Plain lines go to the relay's current room, so
   * when that is another room the relay is switched to the lobby first (the UI switches it back before
   * it next sends from that room: its current room is the relay's word).
   */
  private sayMissedLines(): CaughtUp {
    if (this.path !== 'both' || this.catchUp.size === 0) return NOTHING_SAID;
    // A rejoin after a reconnect may still be moving the relay to another room: switch in any case then.
    const { current, rooms } = this.client.rooms;
    if (current !== LOBBY || rooms.some((room) => room !== LOBBY)) {
      if (!this.client.switchRoom(LOBBY).ok) return NOTHING_SAID;
      this.nextLineRoom.saying(`/switch ${LOBBY}`);
    }
    const now = this.clock();
    const release = this.catchUp.take(now);
    if (release === null) return NOTHING_SAID;
    let said = 0;
    for (const text of release.lines) {
      const result = this.client.say(text);
      if (!result.ok) continue;
      said++;
      if (result.id !== undefined) this.catchUp.sent(now, result.id, text, typedKey(text));
    }
    return { said, kept: release.kept };
  }
}

/** `the relay is lost: /who needs it ...`, or `a line for #rust` (a line outside the lobby). */
function relayOnlyRefusal(text: string): string {
  const parsed = parseLine(text);
  const what = parsed.kind === 'command' ? `/${parsed.name}` : 'a line outside the lobby';
  return `the relay is lost: ${what} needs it (only the lobby goes on, over the LAN); try again when it is back`;
}

/** What the catch-up did when the relay came back: lines said to it again, lines it had kept. */
interface CaughtUp {
  readonly said: number;
  readonly kept: number;
}

const NOTHING_SAID: CaughtUp = { said: 0, kept: 0 };

/** The key (catch-up.ts) of a lobby line as typed: `/me waves`, `//path`, or plain text. */
function typedKey(text: string): string {
  if (text.startsWith('/me ')) return lineKey(text.slice(4), true);
  return lineKey(text.startsWith('//') ? text.slice(1) : text, false);
}

function lines(count: number): string {
  return count === 1 ? '1 line' : `${count} lines`;
}

/** What a change of path means for the reader. */
function pathNotice(path: DualPathState, group: string, caughtUp: CaughtUp): string {
  if (path === 'lan-only') return `relay lost: lobby lines go on over the LAN (${group}) only`;
  const { said, kept } = caughtUp;
  const again = said === 0 ? '' : `; ${lines(said)} said meanwhile sent to it`;
  const had = kept === 0 ? '' : `; ${lines(kept)} it had kept not sent again`;
  return `relay back: lobby lines go on both paths${again}${had}`;
}

/** The LAN's presence and loss notices in the relay's wording (`bob joined`, `2 lines from bob lost`). */
function lanNotice(event: LanEvent): string | null {
  switch (event.type) {
    case 'joined':
      return `${event.nick} joined (LAN)`;
    case 'left':
      return `${event.nick} left (LAN)`;
    case 'timed-out':
      return `${event.nick} timed out (LAN)`;
    case 'gap':
      return `${event.count === 1 ? '1 line' : `${event.count} lines`} from ${event.nick} lost (LAN)`;
    case 'collision':
      return `${event.nick} is shown as ${event.shownAs} on the LAN`;
    case 'key-mismatch':
      return `a LAN peer (${event.senderId.slice(0, 8)}) uses another group key; its lines cannot be read`;
    default:
      return null;
  }
}
