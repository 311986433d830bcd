/**
 * The web client's link to the relay: a browser WebSocket on the page's own origin, speaking
 * `udpchat-v1-ack` (docs/PROTOCOL.md): one v1 line per text message, each tagged with an id the relay
 * acknowledges once it has handled the line. A closed socket is opened again with jittered exponential
 * back-off, and what the link is doing is always known (`state`), so the page can say it honestly. While
 * it is down, lines are not kept: the session above retries what matters (its /join, its pings), as it
 * would over UDP, and every line still waiting for its acknowledgement is reported as unconfirmed.
 */
import { MAX_WEB_ACK_ID, WEB_RECONNECT_FIRST_MS, WEB_RECONNECT_MAX_MS } from '../protocol/limits.ts';
import { taggedLine, WEB_PROTOCOL_ACKS } from '../protocol/messages.ts';
import { type RelayAck, readRelayAck } from '../protocol/web-acks.ts';

export type LinkState = 'connecting' | 'open' | 'waiting';

export interface LinkEvents {
  /** The socket is open: the first time, or again after a drop (`again`). */
  opened(again: boolean): void;
  /** One relay line, without its newline. */
  line(text: string): void;
  ack(ack: RelayAck): void;
  /** The socket closed; `unconfirmed` are the ids sent on it that were never acknowledged. */
  closed(unconfirmed: readonly number[], retryInMs: number): void;
}

export class WsLink {
  private socket: WebSocket | null = null;
  private opens = 0;
  private attempt = 0;
  private nextId = 0;
  private readonly outstanding = new Set<number>();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private retryAt = 0;
  current: LinkState = 'connecting';

  constructor(
    private readonly url: string,
    private readonly events: LinkEvents,
    private readonly random: () => number,
  ) {}

  /** When the next attempt is due (performance.now()), while `waiting`. */
  get nextAttemptAt(): number {
    return this.retryAt;
  }

  open(): void {
    this.stopped = false;
    this.connect();
  }

  /** Sends one line; returns its id, or null when the link is down and the line went nowhere. */
  send(line: string): number | null {
    const socket = this.socket;
    if (socket === null || socket.readyState !== WebSocket.OPEN) return null;
    const id = this.nextId;
    this.nextId = this.nextId >= MAX_WEB_ACK_ID ? 0 : this.nextId + 1;
    this.outstanding.add(id);
    socket.send(taggedLine(id, line));
    return id;
  }

  /** Closes for good (the user left); no event follows. */
  close(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.socket?.close(1000);
    this.socket = null;
  }

  private connect(): void {
    this.current = 'connecting';
    const socket = new WebSocket(this.url, [WEB_PROTOCOL_ACKS]);
    this.socket = socket;
    socket.addEventListener('open', () => {
      if (socket !== this.socket) return;
      this.current = 'open';
      this.attempt = 0;
      this.opens += 1;
      this.events.opened(this.opens > 1);
    });
    socket.addEventListener('message', (message: MessageEvent) => {
      if (socket !== this.socket || typeof message.data !== 'string') return;
      this.received(message.data);
    });
    socket.addEventListener('close', () => {
      if (socket !== this.socket) return;
      this.socket = null;
      this.dropped();
    });
  }

  private received(text: string): void {
    const ack = readRelayAck(text);
    if (ack === null) {
      this.events.line(text);
      return;
    }
    this.outstanding.delete(ack.id);
    this.events.ack(ack);
  }

  private dropped(): void {
    const unconfirmed = [...this.outstanding];
    this.outstanding.clear();
    if (this.stopped) return;
    this.attempt += 1;
    const base = Math.min(WEB_RECONNECT_MAX_MS, WEB_RECONNECT_FIRST_MS * 2 ** Math.min(this.attempt - 1, 10));
    const wait = base * (0.8 + 0.4 * this.random());
    this.current = 'waiting';
    this.retryAt = performance.now() + wait;
    this.events.closed(unconfirmed, wait);
    this.retryTimer = setTimeout(() => this.connect(), wait);
  }
}
