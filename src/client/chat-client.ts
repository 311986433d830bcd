/**
 * ChatClient: the library API. It binds a ClientSession to one UDP socket and one timer, and re-emits the
 * session's events. All protocol decisions stay in the session; this file only moves bytes and time.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Address } from '../protocol/address.ts';
import { addressKey } from '../protocol/address.ts';
import type { TraceSink, UdpStats } from '../transport/udp.ts';
import { UdpEndpoint } from '../transport/udp.ts';
import type {
  ActionEvent,
  AnsweringEvent,
  ChatEvent,
  ClientEvent,
  ClientState,
  ConnectionStatus,
  LineEvent,
  NoticeEvent,
  PrivateEvent,
  ReconnectedEvent,
  ReconnectingEvent,
  RefusedEvent,
  RejoiningEvent,
  RoomsEvent,
  RttEvent,
  SessionOutput,
  SilentEvent,
  WelcomeEvent,
} from './events.ts';
import { type ChatSayResult, RelayCommands } from './relay-commands.ts';
import type { RoomsSnapshot } from './room-tracker.ts';
import { ClientSession, type ClientSessionOptions } from './session.ts';

export interface ChatClientOptions {
  readonly nick: string;
  /** The relay: a host name (resolved once, at connect) or an IP literal. */
  readonly host: string;
  readonly port: number;
  /** Sees every datagram in and out of the socket (for `--trace`). */
  readonly trace?: TraceSink;
  /** Timings for the session (ping interval, silence warning, join retries); defaults come from limits.ts. */
  readonly session?: Omit<ClientSessionOptions, 'nick'>;
  /** A monotonic clock in milliseconds; defaults to performance.now, which wall-clock changes do not move. */
  readonly clock?: () => number;
}

/** Errors are values: `unanswered` means no /join got an answer, so the relay is probably not there. */
export interface ChatClientError {
  readonly code: 'unanswered';
  readonly message: string;
  readonly attempts: number;
}

export interface ChatClientEvents {
  welcome: WelcomeEvent;
  chat: ChatEvent;
  action: ActionEvent;
  private: PrivateEvent;
  notice: NoticeEvent;
  line: LineEvent;
  refused: RefusedEvent;
  rejoining: RejoiningEvent;
  silent: SilentEvent;
  answering: AnsweringEvent;
  rtt: RttEvent;
  rooms: RoomsEvent;
  reconnecting: ReconnectingEvent;
  reconnected: ReconnectedEvent;
  error: ChatClientError;
}

export type { ChatSayResult } from './relay-commands.ts';

export class ChatClient extends RelayCommands<ChatClientEvents> {
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly relayHost: BlockList;

  private constructor(
    private readonly endpoint: UdpEndpoint,
    private readonly session: ClientSession,
    /** The relay's resolved address: the only source whose datagrams are accepted. */
    readonly relay: Address,
    private readonly clock: () => number,
  ) {
    super();
    this.relayHost = hostMatcher(relay.host);
    endpoint.onDatagram((from, bytes) => this.receive(from, bytes));
  }

  /**
   * Resolves the relay, binds an ephemeral socket and sends the /join. Events arrive from I/O callbacks,
   * never before this promise resolves, so listeners attached right after `await` miss nothing.
   */
  static async connect(options: ChatClientOptions): Promise<ChatClient> {
    if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
      throw new RangeError(`relay port must be 1-65535, got ${options.port}`);
    }
    // Built first so a bad nick or timing fails before any socket exists.
    const session = new ClientSession({ ...options.session, nick: options.nick });
    const relayHost = await resolveRelayHost(options.host);
    const endpoint = await UdpEndpoint.bind({
      host: isIP(relayHost) === 6 ? '::' : '0.0.0.0',
      port: 0,
      ...(options.trace ? { trace: options.trace } : {}),
    });
    const client = new ChatClient(
      endpoint,
      session,
      { host: relayHost, port: options.port },
      options.clock ?? now,
    );
    client.apply(session.start(client.clock()));
    return client;
  }

  get state(): ClientState {
    return this.session.state;
  }

  get nick(): string {
    return this.session.nick;
  }

  get local(): Address {
    return this.endpoint.local;
  }

  get stats(): Readonly<UdpStats> {
    return this.endpoint.stats;
  }

  /** The rooms the relay has us in and where plain lines go, as its notices told (see the `rooms` event). */
  get rooms(): RoomsSnapshot {
    return this.session.rooms;
  }

  /** The connection right now (state, round-trip time, how long the relay has been silent), for a status bar. */
  connection(): ConnectionStatus {
    return this.session.connection(this.clock());
  }

  /** Sends a /ping now; its round-trip time arrives as an `rtt` event. */
  ping(): ChatSayResult {
    const result = this.session.ping(this.clock());
    if (!result.ok) return result;
    this.apply(result.output);
    return { ok: true };
  }

  /** Sends one chat line, or returns why it was not sent (too long, a line break, not connected). */
  override say(text: string): ChatSayResult {
    const result = this.session.say(text);
    if (!result.ok) return result;
    this.apply(result.output);
    return { ok: true };
  }

  /** Sends /leave (with `message`, if any) and resolves once the datagram has been handed to the kernel. */
  async leave(message = ''): Promise<void> {
    this.apply(this.session.leave(message));
    await this.endpoint.flush();
  }

  /** Stops the timer and closes the socket; no event follows. Does not send /leave: call leave() first. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clearTimer();
    await this.endpoint.close();
  }

  private receive(from: Address, bytes: Uint8Array): void {
    // The client talks to one relay; anything else on our port is noise or a spoofing attempt.
    if (this.closed || from.port !== this.relay.port || !this.relayHost.check(from.host, familyOf(from.host)))
      return;
    this.apply(this.session.handle(this.clock(), bytes));
  }

  private onTimer(): void {
    this.timer = undefined;
    if (!this.closed) this.apply(this.session.tick(this.clock()));
  }

  /** Sends, then reports, then re-arms the timer: a listener may call say(), leave() or close(). */
  private apply(output: SessionOutput): void {
    if (this.closed) return;
    for (const datagram of output.datagrams) this.endpoint.send(this.relay, datagram);
    for (const event of output.events) this.dispatch(event);
    this.schedule();
  }

  private dispatch(event: ClientEvent): void {
    if (this.closed) return;
    if (event.type === 'unanswered') {
      const message = `no answer from the relay at ${addressKey(this.relay)} (sent /join ${event.attempts} times)`;
      this.emit('error', { code: 'unanswered', message, attempts: event.attempts });
      return;
    }
    this.emit(event.type, event);
  }

  /** One timer, always re-armed from the session's own deadline: timers are data in the session. */
  private schedule(): void {
    this.clearTimer();
    const at = this.session.nextTickAt();
    if (this.closed || at === null) return;
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, at - this.clock()));
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/**
 * Matches the relay's IP in any spelling: the kernel reports `::1` for a relay given as `0:0:0:0:0:0:0:1`,
 * and IPv4-mapped IPv6 addresses have two spellings.
 */
function hostMatcher(host: string): BlockList {
  const matcher = new BlockList();
  matcher.addAddress(host, familyOf(host));
  return matcher;
}

function familyOf(host: string): 'ipv4' | 'ipv6' {
  return isIP(host) === 6 ? 'ipv6' : 'ipv4';
}

function now(): number {
  return performance.now();
}

/**
 * Resolves the relay once, so every datagram goes to (and is accepted from) one fixed address. IPv4 is
 * preferred: the seed's client is AF_INET only and its relay binds 0.0.0.0, so "localhost" must mean 127.0.0.1.
 */
async function resolveRelayHost(host: string): Promise<string> {
  if (isIP(host) !== 0) return host;
  let found: { address: string; family: number }[];
  try {
    found = await lookup(host, { all: true });
  } catch (error) {
    throw new Error(
      `cannot resolve relay host "${host}": ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const chosen = found.find((entry) => entry.family === 4) ?? found[0];
  if (chosen === undefined) throw new Error(`cannot resolve relay host "${host}": no addresses`);
  return chosen.address;
}
