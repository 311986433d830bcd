/**
 * LanChat: the binding of serverless LAN chat. It joins a LanPeer (all of the protocol: sequence numbers,
 * order, duplicates, gaps, presence, nick collisions, limits) to one MulticastSocket, one clock and one
 * timer, and re-emits the peer's events by type. Like ChatClient for the relay, every way out of the
 * process is injected with a system default; this file only moves bytes and time.
 */
import { TypedEmitter } from '../client/typed-emitter.ts';
import type { LanEvent, LanOutput, LanRefusal, LanStats, LanWhoEntry } from '../lan/events.ts';
import { LanPeer } from '../lan/lan-peer.ts';
import type { Address } from '../protocol/address.ts';
import { deriveGroupKey, type GroupKey } from '../protocol/lan/group-key.ts';
import type { RandomSource } from '../protocol/v2/crypto.ts';
import { MulticastSocket } from '../transport/multicast-socket.ts';
import { type Clock, systemClock } from '../transport/system-clock.ts';
import { systemRandom } from '../transport/system-random.ts';
import { type CancelTimer, systemTimers, type TimerScheduler } from '../transport/system-timers.ts';
import type { TraceSink } from '../transport/trace-sink.ts';
import type { TransportStats } from '../transport/transport-stats.ts';

export interface LanChatOptions {
  readonly nick: string;
  /** The IPv4 multicast group and port (`--multicast 239.255.0.1:9999`). */
  readonly group: Address;
  /** `--listen-group`: the group heard when it is not `group` (behind `udpchat chaos --multicast`). */
  readonly listenGroup?: Address | null;
  /** `--interface`: the local address of the interface to use, or null for the kernel's route. */
  readonly interfaceAddress: string | null;
  /** `--ttl` (default 1: the LAN only). */
  readonly ttl: number;
  /** `--group-key`: the passphrase everyone in the group knows, or null to chat in clear. */
  readonly passphrase: string | null;
  readonly trace?: TraceSink;
  /** Monotonic milliseconds for the peer's `now`; default performance.now. */
  readonly clock?: Clock;
  /** Wall-clock milliseconds since 1970, read once: when we took our nick (it orders collisions). */
  readonly wallClock?: () => number;
  readonly timers?: TimerScheduler;
  readonly random?: RandomSource;
}

/** Each of LanPeer's events under its own type. */
export type LanChatEvents = { [K in LanEvent['type']]: LanEvent & { readonly type: K } };

export class LanChat extends TypedEmitter<LanChatEvents> {
  private cancelTimer: CancelTimer | undefined;
  /** The deadline the timer is armed for: a datagram that leaves it unchanged re-arms nothing. */
  private armedAt: number | null = null;
  private closed = false;

  private constructor(
    private readonly socket: MulticastSocket,
    private readonly peer: LanPeer,
    private readonly clock: Clock,
    private readonly timers: TimerScheduler,
  ) {
    super();
    socket.onDatagram((from, bytes) => this.apply(this.peer.handle(this.clock(), from, bytes)));
  }

  /**
   * Derives the group key (if any), joins the group and announces us. Events arrive from I/O callbacks
   * and timers, never before this promise resolves, so listeners attached right after `await` miss none.
   */
  static async open(options: LanChatOptions): Promise<LanChat> {
    const random = options.random ?? systemRandom;
    const key: GroupKey | null =
      options.passphrase === null ? null : await deriveGroupKey(options.passphrase, options.group);
    // Built before the socket so a bad nick fails before anything is bound.
    const peer = new LanPeer({
      nick: options.nick,
      claimedAt: Math.floor((options.wallClock ?? Date.now)()),
      key,
      random,
    });
    const socket = await MulticastSocket.open({
      group: options.group,
      ...(options.listenGroup ? { listenGroup: options.listenGroup } : {}),
      interfaceAddress: options.interfaceAddress,
      ttl: options.ttl,
      ...(options.trace ? { trace: options.trace } : {}),
    });
    const chat = new LanChat(socket, peer, options.clock ?? systemClock, options.timers ?? systemTimers);
    const started = peer.start(chat.clock());
    // The start-up events (our own claim) wait for the caller's listeners, like every other event.
    queueMicrotask(() => chat.apply(started));
    return chat;
  }

  get nick(): string {
    return this.peer.nick;
  }

  /** Our name as the group shows it: the nick, or nick#abcd after losing a collision. */
  get shownAs(): string {
    return this.peer.shownAs;
  }

  get senderId(): string {
    return this.peer.senderId;
  }

  /** `239.255.0.1:9999` */
  get groupLabel(): string {
    return this.socket.label;
  }

  get stats(): Readonly<LanStats> {
    return this.peer.stats;
  }

  get transportStats(): Readonly<TransportStats> {
    return this.socket.stats;
  }

  /** A room line; the refusal (never a truncation) when it was not sent, null when it was. */
  say(text: string): LanRefusal | null {
    return this.sent(this.peer.say(this.clock(), text));
  }

  /** `/me text`. */
  act(text: string): LanRefusal | null {
    return this.sent(this.peer.act(this.clock(), text));
  }

  /** /who, from what was heard. */
  who(): LanWhoEntry[] {
    return this.peer.who(this.clock());
  }

  /** Resolves once every datagram sent so far has left. */
  flush(): Promise<void> {
    return this.socket.flush();
  }

  /** Says goodbye to the group (one leave datagram, flushed); nothing is sent or received after it. */
  async leave(): Promise<void> {
    if (this.closed) return;
    this.apply(this.peer.leave(this.clock()));
    await this.socket.flush();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelTimer?.();
    await this.socket.close();
  }

  private sent(output: LanOutput): LanRefusal | null {
    this.apply(output);
    const refused = output.events.find((event) => event.type === 'refused');
    return refused === undefined ? null : refused.refusal;
  }

  /** Sends the output's datagrams, emits its events, and re-arms the one timer. */
  private apply(output: LanOutput): void {
    if (this.closed) return;
    for (const bytes of output.datagrams) this.socket.send(bytes);
    for (const event of output.events) this.emitEvent(event);
    this.arm();
  }

  private emitEvent(event: LanEvent): void {
    // One emit per type keeps each listener's payload exact without a cast per case.
    (this.emit as (name: LanEvent['type'], payload: LanEvent) => void).call(this, event.type, event);
  }

  private arm(): void {
    const at = this.closed ? null : this.peer.nextTickAt();
    if (at === this.armedAt) return;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.armedAt = at;
    if (at === null) return;
    this.cancelTimer = this.timers(Math.max(0, at - this.clock()), () => {
      this.cancelTimer = undefined;
      this.armedAt = null;
      this.apply(this.peer.tick(this.clock()));
    });
  }
}
