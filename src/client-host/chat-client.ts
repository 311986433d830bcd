/**
 * ChatClient: the library API. It binds a ClientSession (the lines) and a LineCarrier (v1 datagrams, or a v2
 * session: docs/PROTOCOL-v2.md) to one UDP socket and one timer, and re-emits their events. All protocol
 * decisions stay in those two; this file only moves bytes and time.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import type {
  AckedEvent,
  ActionEvent,
  AnsweringEvent,
  ChatEvent,
  ClientEvent,
  ClientState,
  ConnectionStatus,
  FailedEvent,
  GapEvent,
  LineEvent,
  NoticeEvent,
  PrivateEvent,
  ProtocolEvent,
  ReconnectedEvent,
  ReconnectingEvent,
  RefusedEvent,
  RejoiningEvent,
  RoomsEvent,
  RttEvent,
  SessionOutput,
  SilentEvent,
  WelcomeEvent,
} from '../client/events.ts';
import {
  type CarrierEvent,
  type CarrierOutput,
  LineCarrier,
  type ProtocolMode,
} from '../client/line-carrier.ts';
import { type ChatSayResult, RelayCommands } from '../client/relay-commands.ts';
import type { RoomsSnapshot } from '../client/room-tracker.ts';
import { ClientSession, type ClientSessionOptions } from '../client/session.ts';
import type { Address } from '../protocol/address.ts';
import { addressKey } from '../protocol/address.ts';
import { systemRandom } from '../protocol/v2/crypto.ts';
import type { TraceSink, UdpStats } from '../transport/udp.ts';
import { UdpEndpoint } from '../transport/udp.ts';

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
  /**
   * `auto` (default): v2 if the relay speaks it, else v1 after about a second of silence (the seed's relay);
   * `v1`: the seed's protocol only; `v2`: refuse to talk to a relay without v2.
   */
  readonly protocol?: ProtocolMode;
}

/**
 * Errors are values: `unanswered` means no /join got an answer, so the relay is probably not there;
 * `no-v2` that protocol v2 was required and the relay does not speak it.
 */
export interface ChatClientError {
  readonly code: 'unanswered' | 'no-v2';
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
  protocol: ProtocolEvent;
  acked: AckedEvent;
  failed: FailedEvent;
  gap: GapEvent;
  error: ChatClientError;
}

export type { ChatSayResult } from '../client/relay-commands.ts';

export class ChatClient extends RelayCommands<ChatClientEvents> {
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly relayHost: BlockList;

  private constructor(
    private endpoint: UdpEndpoint,
    private readonly session: ClientSession,
    private readonly carrier: LineCarrier,
    /** The relay's resolved address: the only source whose datagrams are accepted. */
    readonly relay: Address,
    private readonly clock: () => number,
    private readonly trace: TraceSink | undefined,
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
    const carrier = new LineCarrier({ mode: options.protocol ?? 'auto', random: systemRandom });
    const client = new ChatClient(
      endpoint,
      session,
      carrier,
      { host: relayHost, port: options.port },
      options.clock ?? now,
      options.trace,
    );
    client.carry(carrier.start(client.clock()));
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

  /** The protocol spoken with the relay: 'probing' until it is known. */
  get protocol(): 'probing' | 'v1' | 'v2' {
    return this.carrier.current;
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
    const ids = this.apply(result.output);
    const id = ids.length === 1 ? ids[0] : undefined;
    return typeof id === 'number' ? { ok: true, id } : { ok: true };
  }

  /** Sends /leave (with `message`, if any) and resolves once the datagram has been handed to the kernel. */
  async leave(message = ''): Promise<void> {
    this.apply(this.session.leave(message));
    this.carry(this.carrier.close(this.clock()));
    await this.endpoint.flush();
  }

  /**
   * Moves to a new local port, as when a NAT rebinds or the network changes. Over v2 the session carries on
   * (the relay validates the new path); over v1 the relay sees a stranger and asks it to join again.
   */
  async rebind(): Promise<void> {
    if (this.closed) return;
    const old = this.endpoint;
    this.endpoint = await UdpEndpoint.bind({
      host: old.local.host,
      port: 0,
      ...(this.trace ? { trace: this.trace } : {}),
    });
    this.endpoint.onDatagram((from, bytes) => this.receive(from, bytes));
    await old.close();
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
    this.carry(this.carrier.receive(this.clock(), bytes));
  }

  private onTimer(): void {
    this.timer = undefined;
    if (this.closed) return;
    this.carry(this.carrier.tick(this.clock()));
    this.apply(this.session.tick(this.clock()));
  }

  /**
   * The session's output: its lines go to the carrier, then its events are reported and the timer re-armed
   * (a listener may call say(), leave() or close()). Returns the ids the relay will acknowledge (v2).
   */
  private apply(output: SessionOutput): (number | null)[] {
    if (this.closed) return [];
    const sent = this.carrier.send(this.clock(), output.datagrams);
    this.carry(sent.out);
    for (const event of output.events) this.dispatch(event);
    this.schedule();
    return sent.ids;
  }

  /** The carrier's output: datagrams to the relay, the relay's lines to the session, its own events. */
  private carry(output: CarrierOutput): void {
    if (this.closed) return;
    for (const datagram of output.toRelay) this.endpoint.send(this.relay, datagram);
    for (const bytes of output.toSession) this.apply(this.session.handle(this.clock(), bytes));
    for (const event of output.events) this.carrierEvent(event);
    this.schedule();
  }

  private carrierEvent(event: CarrierEvent): void {
    if (this.closed) return;
    if (event.type === 'resumed') this.apply(this.session.rejoin(this.clock()));
    else if (event.type === 'reconnecting') return;
    else if (event.type === 'no-v2') {
      const message = `the relay at ${addressKey(this.relay)} does not speak protocol v2`;
      this.emit('error', { code: 'no-v2', message, attempts: 0 });
    } else this.emit(event.type, event);
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
    const session = this.session.nextTickAt();
    const carrier = this.carrier.nextTimeout();
    const at = session === null ? carrier : carrier === null ? session : Math.min(session, carrier);
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
