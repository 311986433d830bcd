/**
 * The web client's binding, the browser's ChatClient: the same sans-I/O ClientSession the terminal client
 * runs (its lines, keep-alive, reconnect and rooms), bound to a WebSocket link (ws-link.ts), the page's
 * clock and one timer. What it adds is what the WebSocket offers and UDP v1 does not: every line the user
 * sends has an id, and the relay's acknowledgement settles it (`acked`), or its refusal or a dropped
 * connection marks it unconfirmed (`failed`), so pending marks are honest. Nothing here imports Node.
 */
import type {
  AckedEvent,
  ClientEvent,
  ClientState,
  ConnectionStatus,
  EventsByType,
  FailedEvent,
  SessionOutput,
} from '../client/events.ts';
import { type ChatSayResult, RelayCommands } from '../client/relay-commands.ts';
import type { RoomsSnapshot } from '../client/room-tracker.ts';
import { ClientSession } from '../client/session.ts';
import { type LinkState, WsLink } from './ws-link.ts';

/** The link's state changed (the page shows it); `retryInMs` while waiting to connect again. */
export interface LinkEvent {
  readonly type: 'link';
  readonly state: LinkState;
  readonly retryInMs: number | null;
}

export type WebClientEvents = EventsByType<ClientEvent | AckedEvent | FailedEvent | LinkEvent>;

export interface WebChatClientOptions {
  readonly nick: string;
  /** `ws://host:port/chat`, on the page's own origin. */
  readonly url: string;
  /** A number in [0, 1), for jitter (the page passes one drawn from crypto.getRandomValues). */
  readonly random: () => number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class WebChatClient extends RelayCommands<WebClientEvents> {
  private readonly session: ClientSession;
  private readonly link: WsLink;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The ids of the user's own lines (not pings or joins) still waiting for the relay. */
  private readonly userLines = new Set<number>();
  private closed = false;

  constructor(options: WebChatClientOptions) {
    super();
    this.session = new ClientSession({ nick: options.nick, random: options.random, reconnect: {} });
    this.link = new WsLink(
      options.url,
      {
        opened: (again) => this.opened(again),
        line: (text) => this.apply(this.session.handle(now(), encoder.encode(`${text}\n`))),
        ack: (ack) => this.settle(ack.id, ack.kind === 'acked'),
        closed: (unconfirmed, retryInMs) => this.dropped(unconfirmed, retryInMs),
      },
      options.random,
    );
  }

  start(): void {
    this.emit('link', { type: 'link', state: 'connecting', retryInMs: null });
    this.link.open();
  }

  get nick(): string {
    return this.session.nick;
  }

  get state(): ClientState {
    return this.session.state;
  }

  get rooms(): RoomsSnapshot {
    return this.session.rooms;
  }

  get linkState(): LinkState {
    return this.link.current;
  }

  /** While the link waits to connect again: how long until it tries. */
  retryInMs(): number | null {
    return this.link.current === 'waiting' ? Math.max(0, this.link.nextAttemptAt - now()) : null;
  }

  connection(): ConnectionStatus {
    return this.session.connection(now());
  }

  /** A /ping now; its round trip comes as an `rtt` event. */
  ping(): ChatSayResult {
    const result = this.session.ping(now());
    if (!result.ok) return result;
    this.apply(result.output);
    return { ok: true };
  }

  /** One line as typed; over this link every line has an id the relay will settle. */
  override say(text: string): ChatSayResult {
    const result = this.session.say(text);
    if (!result.ok) return result;
    const ids = this.apply(result.output);
    const id = ids.length === 1 ? ids[0] : undefined;
    if (id === undefined || id === null) return { ok: true };
    this.userLines.add(id);
    return { ok: true, id };
  }

  /** Sends /leave (with `message`), then closes the link; no event follows. */
  leave(message = ''): void {
    this.apply(this.session.leave(message));
    this.closed = true;
    clearTimeout(this.timer);
    this.link.close();
  }

  private opened(again: boolean): void {
    this.emit('link', { type: 'link', state: 'open', retryInMs: null });
    // A new connection is a stranger to the relay: join again at once (rooms follow once welcomed).
    this.apply(again ? this.session.rejoin(now()) : this.session.start(now()));
  }

  private dropped(unconfirmed: readonly number[], retryInMs: number): void {
    for (const id of unconfirmed) this.settle(id, false);
    this.emit('link', { type: 'link', state: 'waiting', retryInMs });
  }

  private settle(id: number, acked: boolean): void {
    if (!this.userLines.delete(id)) return;
    if (acked) this.emit('acked', { type: 'acked', id });
    else this.emit('failed', { type: 'failed', id });
  }

  /** The session's lines to the link (their ids, null where the link was down), its events, the timer. */
  private apply(output: SessionOutput): (number | null)[] {
    if (this.closed) return [];
    const ids: (number | null)[] = [];
    for (const datagram of output.datagrams)
      for (const line of decoder.decode(datagram).split('\n'))
        if (line !== '') ids.push(this.link.send(line));
    for (const event of output.events) this.emit(event.type, event as never);
    this.schedule();
    return ids;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const at = this.session.nextTickAt();
    if (this.closed || at === null) return;
    this.timer = setTimeout(() => this.apply(this.session.tick(now())), Math.max(0, at - now()));
  }
}

function now(): number {
  return performance.now();
}
