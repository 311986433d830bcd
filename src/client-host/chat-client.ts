/**
 * ChatClient: the client library's binding. It joins a ClientSession (the lines) and a LineCarrier (v1
 * datagrams, or a v2 session: docs/PROTOCOL-v2.md) to one link from a ClientTransport (UDP unless told
 * otherwise), one clock and one timer, and re-emits their events. All protocol decisions stay in those two
 * cores, and every way out of the process (link, clock, timer, randomness) is injected with a system
 * default; this file only moves bytes and time. With `failover` relays, a RelayMover replaces the link and
 * the carrier when the relay is lost (relay-mover.ts).
 */
import type { ClientEvent, ClientState, ConnectionStatus, SessionOutput } from '../client/events.ts';
import { type RelayTarget, relayName } from '../client/failover.ts';
import {
  type CarrierEvent,
  type CarrierOutput,
  LineCarrier,
  type ProtocolMode,
  type V2ClientTuning,
} from '../client/line-carrier.ts';
import { fractionSource } from '../client/random-fraction.ts';
import { type ChatSayResult, RelayCommands } from '../client/relay-commands.ts';
import { RoomKeyring } from '../client/room-keyring.ts';
import type { RoomsSnapshot } from '../client/room-tracker.ts';
import { ClientSession } from '../client/session.ts';
import type { Address } from '../protocol/address.ts';
import { deriveRoomKey, type RoomKey } from '../protocol/room-key.ts';
import { fingerprint } from '../protocol/v2/fingerprint.ts';
import type { V2PathStats, V2Refusal } from '../session/client-connection.ts';
import { systemResolver } from '../transport/host-resolver.ts';
import type { RelayLink } from '../transport/relay-link.ts';
import { type Clock, systemClock } from '../transport/system-clock.ts';
import { systemRandom } from '../transport/system-random.ts';
import { type CancelTimer, systemTimers, type TimerScheduler } from '../transport/system-timers.ts';
import type { TransportStats } from '../transport/transport-stats.ts';
import { udpTransport } from '../transport/udp-link.ts';
import type { ChatClientError, ChatClientEvents, ChatClientOptions } from './chat-client-options.ts';
import { type MoverHost, type MoverSetup, RelayMover } from './relay-mover.ts';

export type { ChatSayResult } from '../client/relay-commands.ts';
export type {
  ChatClientError,
  ChatClientEvents,
  ChatClientOptions,
  ChatSessionOptions,
} from './chat-client-options.ts';

export { MOVE_RETRY_MS } from './relay-mover.ts';

export class ChatClient extends RelayCommands<ChatClientEvents> {
  private cancelTimer: CancelTimer | undefined;
  private closed = false;
  /** Failover to the other relays of `failover` (relay-mover.ts). */
  private readonly mover: RelayMover;

  private constructor(
    private link: RelayLink,
    private readonly session: ClientSession,
    private carrier: LineCarrier,
    private readonly keyring: RoomKeyring,
    private readonly clock: Clock,
    private readonly timers: TimerScheduler,
    moves: MoverSetup,
  ) {
    super();
    this.listen(link);
    this.mover = new RelayMover(this.moverHost(), moves);
  }

  /**
   * Connects a link to the relay (resolving its host) and sends the /join. Events arrive from I/O callbacks,
   * never before this promise resolves, so listeners attached right after `await` miss nothing.
   */
  static async connect(options: ChatClientOptions): Promise<ChatClient> {
    if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
      throw new RangeError(`relay port must be 1-65535, got ${options.port}`);
    }
    const random = options.random ?? systemRandom;
    const keyring = new RoomKeyring();
    // Built first so a bad nick or timing fails before any socket exists.
    const session = new ClientSession({
      ...options.session,
      nick: options.nick,
      random: options.session?.random ?? fractionSource(random),
      randomBytes: options.session?.randomBytes ?? random,
      roomKeys: keyring,
    });
    const first: RelayTarget = { host: options.host, port: options.port };
    const link = await openLink(options, first);
    const mode = carriedMode(options.protocol ?? 'auto', link);
    const v2For = (target: RelayTarget): V2ClientTuning => v2Tuning(options, first, target);
    const carrier = new LineCarrier({ mode, random, v2: v2For(first) });
    const client = new ChatClient(
      link,
      session,
      carrier,
      keyring,
      options.clock ?? systemClock,
      options.timers ?? systemTimers,
      {
        relays: [first, ...(options.failover ?? [])],
        random,
        openLink: (target) => openLink(options, target),
        newCarrier: (epoch, target) => new LineCarrier({ mode: 'v2', random, epoch, v2: v2For(target) }),
      },
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

  /** The relay's resolved address (a group's, for a multicast link): the only source whose bytes count. */
  get relay(): Address {
    return this.link.remote;
  }

  get local(): Address {
    return this.link.local;
  }

  get stats(): Readonly<TransportStats> {
    return this.link.stats;
  }

  /** The rooms the relay has us in and where plain lines go, as its notices told (see the `rooms` event). */
  get rooms(): RoomsSnapshot {
    return this.session.rooms;
  }

  /** The protocol spoken with the relay: 'probing' until it is known. */
  get protocol(): 'probing' | 'v1' | 'v2' {
    return this.carrier.current;
  }

  /**
   * The connection right now (state, round-trip time, how long the relay has been silent), for a status bar.
   * Over v2 a relay that acknowledges nothing we send is overdue too, long before the line session's
   * /ping would tell (the `stalled` event).
   */
  connection(): ConnectionStatus {
    const now = this.clock();
    const status = this.session.connection(now);
    const movingTo = this.mover.movingTo;
    if (status.state === 'reconnecting' && movingTo !== null) return { ...status, movingTo };
    if (status.state !== 'joined' || !this.carrier.stalled) return status;
    return { ...status, overdue: true, silentMs: this.carrier.silentMs(now) };
  }

  /** Protocol v2's measurements of the path (RTT, its variation, re-sends); null over v1. */
  pathStats(): V2PathStats | null {
    return this.carrier.pathStats();
  }

  /** Sends a /ping now; its round-trip time arrives as an `rtt` event. */
  ping(): ChatSayResult {
    const result = this.session.ping(this.clock());
    if (!result.ok) return result;
    this.apply(result.output);
    return { ok: true };
  }

  /**
   * Sends one chat line, or returns why it was not sent (too long, a line break, not connected, too many
   * lines already waiting for a move to another relay). During a move the line waits for the new relay.
   */
  override say(text: string): ChatSayResult {
    const backlog = this.mover.backlogFull();
    if (backlog !== null) return { ok: false, error: backlog };
    const result = this.session.say(text);
    if (!result.ok) return result;
    const held = this.mover.holds(result.output);
    if (held !== null) {
      this.apply({ datagrams: [], events: result.output.events });
      const [id] = held;
      return held.length === 1 && id !== undefined ? { ok: true, id } : { ok: true };
    }
    const ids = this.apply(result.output);
    this.mover.sent(result.output, ids);
    const id = ids.length === 1 ? ids[0] : undefined;
    return typeof id === 'number' ? { ok: true, id } : { ok: true };
  }

  /**
   * End-to-end encryption for `room` (docs/PROTOCOL-v2.md 13): the key is derived from `passphrase` with
   * scrypt on the thread pool (about 32 MiB and a fraction of a second), then every line and /me said in
   * the room is sealed and every line sealed under it opened. The passphrase is not kept. Resolves with
   * the key's public id, in hex; rejects for an empty passphrase, or when the room's key was forgotten or
   * set again before this one was ready. Until it resolves, lines said in the room are refused
   * (`key-pending`): none goes out in clear, or under the key being replaced.
   */
  async setRoomKey(room: string, passphrase: string): Promise<string> {
    const ticket = this.keyring.deriving(room);
    const derived = await deriveRoomKey(passphrase, room).then(
      (key) => ({ ok: true as const, key }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    // Whatever the outcome, the room's lines stop waiting (a failure leaves its older key, if any).
    const current = this.keyring.derived(room, ticket);
    if (!derived.ok) throw derived.error;
    if (!current) throw new Error(`the key for ${room} was forgotten or set again meanwhile`);
    const { key } = derived;
    this.holdRoomKey(room, key);
    return Buffer.from(key.keyId).toString('hex');
  }

  /** A key already derived (`udpchat chat --room-key` derives it before connecting). */
  holdRoomKey(room: string, key: RoomKey): void {
    this.keyring.hold(room, key);
  }

  /** Lines in `room` go in clear again; false when no key was held. */
  forgetRoomKey(room: string): boolean {
    return this.keyring.forget(room);
  }

  /** True when lines said in `room` are sealed. */
  sealsIn(room: string): boolean {
    return this.keyring.seals(room);
  }

  /** Sends /leave (with `message`, if any) and resolves once the datagram has been handed to the kernel. */
  async leave(message = ''): Promise<void> {
    this.apply(this.session.leave(message));
    this.carry(this.carrier.close(this.clock()));
    await this.link.flush();
  }

  /**
   * Moves to a new local port, as when a NAT rebinds or the network changes. Over v2 the session carries on
   * (the relay validates the new path); over v1 the relay sees a stranger and asks it to join again. Only a
   * datagram link has a port to move.
   */
  async rebind(): Promise<void> {
    if (this.closed) return;
    if (this.link.kind !== 'datagram') throw new Error(`a ${this.link.kind} link cannot rebind`);
    await this.link.rebind();
  }

  /** Stops the timer and closes the link; no event follows. Does not send /leave: call leave() first. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clearTimer();
    this.mover.close();
    await this.link.close();
  }

  /** Only the current link's datagrams count: a lost relay's late ones are dropped. */
  private listen(link: RelayLink): void {
    link.onReceive((bytes) => {
      if (link === this.link) this.receive(bytes);
    });
  }

  private receive(bytes: Uint8Array): void {
    if (this.closed) return;
    this.carry(this.carrier.receive(this.clock(), bytes));
  }

  private onTimer(): void {
    this.cancelTimer = undefined;
    if (this.closed) return;
    this.carry(this.carrier.tick(this.clock()));
    this.apply(this.session.tick(this.clock()));
    this.mover.tick(this.clock());
    this.schedule();
  }

  /** The narrow view of this client that failover works through. */
  private moverHost(): MoverHost {
    return {
      session: this.session,
      timers: this.timers,
      now: () => this.clock(),
      closed: () => this.closed,
      link: () => this.link,
      carrier: () => this.carrier,
      replace: (link, carrier) => {
        this.link = link;
        this.carrier = carrier;
        this.listen(link);
      },
      apply: (output) => this.apply(output),
      carry: (output) => this.carry(output),
      emit: (event) => {
        if (event.type === 'moving') this.emit('moving', event);
        else if (event.type === 'moved') this.emit('moved', event);
        else this.emit('move-failed', event);
      },
      skipped: (target, refusal) => {
        const error = refusalError(refusal, target);
        this.emit('relay-skipped', { type: 'relay-skipped', relay: relayName(target), ...target, error });
      },
      schedule: () => this.schedule(),
    };
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
    for (const datagram of output.toRelay) this.link.send(datagram);
    for (const bytes of output.toSession)
      if (this.mover.relayLine(bytes)) this.apply(this.session.handle(this.clock(), bytes));
    for (const event of output.events) this.carrierEvent(event);
    this.schedule();
  }

  private carrierEvent(event: CarrierEvent): void {
    if (this.closed) return;
    if (this.mover.carrierEvent(event)) return;
    if (event.type === 'resumed') this.apply(this.session.rejoin(this.clock()));
    else if (event.type === 'reconnecting') return;
    else if (event.type === 'acked' || event.type === 'failed')
      this.emit(event.type, { type: event.type, id: this.mover.callerId(event.id) });
    else if (event.type === 'no-v2') {
      const message = `the relay at ${this.link.label} does not speak protocol v2`;
      this.emit('error', { code: 'no-v2', message, attempts: 0 });
    } else if (event.type === 'relay-identity') {
      // Named as given, so the caller pins the relay that proved it: after a move, not the first one.
      const { host, port } = this.mover.current;
      this.emit('relay-identity', {
        type: event.type,
        fingerprint: fingerprint(event.identityKey),
        firstContact: event.firstContact,
        relay: relayName({ host, port }),
        host,
        port,
      });
    } else if (event.type === 'v2-waiting') {
      const { reason, retryMs } = event;
      this.emit('v2-waiting', { type: event.type, reason, retryMs, relay: relayName(this.mover.current) });
    } else if (event.type === 'relay-refused')
      this.emit('error', refusalError(event.refusal, this.mover.current));
    else this.emit(event.type, event);
  }

  private dispatch(event: ClientEvent): void {
    if (this.closed) return;
    if (event.type === 'unanswered') {
      const message = `no answer from the relay at ${this.link.label} (sent /join ${event.attempts} times)`;
      this.emit('error', { code: 'unanswered', message, attempts: event.attempts });
      return;
    }
    this.emit(event.type, event);
    this.mover.sessionEvent(event);
  }

  /** One timer, always re-armed from the cores' own deadlines: timers are data in the cores. */
  private schedule(): void {
    this.clearTimer();
    const due = [this.session.nextTickAt(), this.carrier.nextTimeout(), ...this.mover.deadlines()].filter(
      (t): t is number => t !== null,
    );
    const at = due.length === 0 ? null : Math.min(...due);
    if (this.closed || at === null) return;
    this.cancelTimer = this.timers(Math.max(0, at - this.clock()), () => this.onTimer());
  }

  private clearTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }
}

/** A link from the options' transport (UDP by default); refused, and closed, if it cannot carry a required v2. */
async function openLink(options: ChatClientOptions, target: RelayTarget): Promise<RelayLink> {
  const transport = options.transport ?? udpTransport;
  const link = await transport.factory({
    target: { host: target.host, port: target.port },
    resolveHost: transport.resolveHost ?? systemResolver,
    ...(options.trace ? { trace: options.trace } : {}),
  });
  if (options.protocol === 'v2' && !link.carriesV2) {
    await link.close();
    throw new Error(
      `protocol v2 needs a datagram link to one relay; the ${link.kind} link to ${link.label} has none`,
    );
  }
  return link;
}

/** v2 probing only where v2 can ride: over a stream link, `auto` is the seed's v1 from the start. */
function carriedMode(mode: ProtocolMode, link: RelayLink): ProtocolMode {
  return link.carriesV2 ? mode : 'v1';
}

/**
 * The v2 options of a session to `target`: its own pin (the caller's `pinFor`; for the first relay,
 * `v2.pinnedFingerprint` first), never the pin of another relay of the list (docs/PROTOCOL-v2.md, 16).
 */
function v2Tuning(options: ChatClientOptions, first: RelayTarget, target: RelayTarget): V2ClientTuning {
  const { pinnedFingerprint: firstPin, ...tuning } = options.v2 ?? {};
  const pin = (target === first ? firstPin : undefined) ?? options.pinFor?.(target);
  return pin === undefined ? tuning : { ...tuning, pinnedFingerprint: pin };
}

/** What the UI shows when the client refuses a relay (docs/PROTOCOL-v2.md, 5.3 and 12). */
function refusalError(refusal: V2Refusal, target: RelayTarget): ChatClientError {
  const relay = relayName(target);
  const about = { attempts: 0, host: target.host, port: target.port };
  if (refusal.kind === 'identity-changed') {
    const offered = fingerprint(refusal.offeredKey);
    const message = `RELAY IDENTITY CHANGED for ${relay}: it proved ${offered}, not the pinned key; not connecting`;
    return { code: refusal.kind, message, offered, ...about };
  }
  if (refusal.kind === 'identity-unverified')
    return { code: refusal.kind, message: `relay at ${relay} failed identity verification`, ...about };
  return {
    code: refusal.kind,
    message: `relay at ${relay} speaks wire version 2 only: upgrade it`,
    ...about,
  };
}
