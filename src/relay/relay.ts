/**
 * The relay as a sans-I/O state machine: `handle(now, from, bytes)` and `tick(now)` return the datagrams
 * to send, slow work for the binding, and the events that happened. It never touches a socket or a clock,
 * so every rule of the seed's relay.py (and every refusal we add) is tested with a fake clock.
 */
import type { Address } from '../protocol/address.ts';
import { isReplyable } from '../protocol/address.ts';
import { decodeDatagram, encodeLine } from '../protocol/codec.ts';
import { parseLine } from '../protocol/command-line.ts';
import { isHistoryOutput } from '../protocol/history-messages.ts';
import {
  AUTH_FAILURE_BURST,
  AUTH_FAILURE_RATE,
  MAX_INBOUND_DATAGRAM_BYTES,
  MAX_LINES_PER_DATAGRAM,
  THROTTLE_NOTICE_INTERVAL_MS,
  TRACKED_HOSTS,
} from '../protocol/limits.ts';
import * as wire from '../protocol/messages.ts';
import type { ClusterAction } from './cluster/actions.ts';
import { claimAnswered } from './cluster/claims.ts';
import { clusterEvent, membersAnswered, statusChanged } from './cluster/inbound.ts';
import { announceDeparture } from './cluster/outbound.ts';
import { clusterRoomPolicy } from './cluster/room-policy.ts';
import { ClusterView } from './cluster/view.ts';
import type { ClusterEvent, ClusterMember, NickClaim } from './cluster-bus.ts';
import { commandList, commandTable } from './commands/index.ts';
import { handleSay } from './commands/say.ts';
import type { HostLimits, PendingHistory, PendingLogin, RelayContext } from './context.ts';
import { answerHistory } from './history.ts';
import { IdleReaper } from './idle-reaper.ts';
import { finishLogin } from './login.ts';
import { type RelayOptions, type RelaySettings, resolveSettings } from './options.ts';
import { Outbox } from './outbox.ts';
import {
  collectingSink,
  type DepartureReason,
  emptyOutput,
  type RefusalReason,
  type RelayEvent,
  type RelayOutput,
  type RelaySink,
  type TaskRequest,
} from './output.ts';
import type { SessionPeer } from './peer.ts';
import { Resumption } from './resume/resumption.ts';
import { RoomKeeper } from './room-keeper.ts';
import { RoomTable } from './room-table.ts';
import type { Room, Session } from './session.ts';
import { SessionTable } from './session-table.ts';
import type { HistoryPage, RoomLine } from './store.ts';
import { bucketFor, KeyedTokenBuckets, type RateLimit } from './token-bucket.ts';

export type { RelayOptions } from './options.ts';

const PLEASE_JOIN_DATAGRAM = encodeLine(wire.PLEASE_JOIN);
const THROTTLED_DATAGRAM = encodeLine(wire.THROTTLED);
const PING_DATAGRAM = encodeLine(wire.PING);

export class Relay implements RelayContext {
  readonly settings: RelaySettings;
  readonly sessions = new SessionTable();
  readonly rooms: RoomTable;
  readonly hostLimits: HostLimits;
  readonly pendingLogins = new Map<number, PendingLogin>();
  readonly pendingHistory = new Map<number, PendingHistory>();
  readonly commands = commandList;
  readonly cluster: ClusterView | null;
  readonly resumption: Resumption | null;
  private readonly reaper: IdleReaper;
  private readonly lineLimit: RateLimit;
  /** Where the call in progress puts its output; opened by `begin`. */
  private readonly outbox: Outbox;
  private clock: number;

  constructor(options: RelayOptions = {}, startedAt = 0) {
    this.settings = resolveSettings(options);
    this.cluster = this.settings.clusterNode === null ? null : new ClusterView(this.settings.clusterNode);
    this.rooms = new RoomTable(
      new RoomKeeper(this.settings.keepRooms ? this.settings.store : null),
      this.cluster === null ? null : clusterRoomPolicy(this.cluster),
    );
    this.outbox = new Outbox(this.sessions, this.rooms);
    const { resumptionKey, random } = this.settings;
    this.resumption = resumptionKey === null ? null : new Resumption(resumptionKey, random);
    this.clock = startedAt;
    this.reaper = new IdleReaper(this.settings, startedAt);
    this.lineLimit = { burst: this.settings.lineBurst, perSecond: this.settings.lineRate };
    this.hostLimits = {
      joins: new KeyedTokenBuckets(
        { burst: this.settings.joinBurst, perSecond: this.settings.joinRate },
        TRACKED_HOSTS,
      ),
      nickChanges: new KeyedTokenBuckets(
        { burst: this.settings.nickBurst, perSecond: this.settings.nickRate },
        TRACKED_HOSTS,
      ),
      authFailures: new KeyedTokenBuckets(
        { burst: AUTH_FAILURE_BURST, perSecond: AUTH_FAILURE_RATE },
        TRACKED_HOSTS,
      ),
    };
  }

  get now(): number {
    return this.clock;
  }

  /** When the binding should call `tick` next. */
  nextTickAt(): number {
    return this.reaper.dueAt;
  }

  /** One datagram from `from`, collected into a `RelayOutput`. Never throws, whatever the bytes. */
  handle(now: number, from: Address, bytes: Uint8Array): RelayOutput {
    return this.collect((sink) => this.handleInto(now, from, bytes, sink));
  }

  /** Timers: idle eviction (client keep-alive) or pings and misses (server keep-alive). */
  tick(now: number): RelayOutput {
    return this.collect((sink) => this.tickInto(now, sink));
  }

  /** The binding's answer to a `check-secret` task. */
  secretChecked(now: number, id: number, ok: boolean): RelayOutput {
    return this.collect((sink) => this.secretCheckedInto(now, id, ok, sink));
  }

  /** The binding's answer to a `history` task. */
  historyAnswered(now: number, id: number, page: HistoryPage<RoomLine>): RelayOutput {
    return this.collect((sink) => this.historyAnsweredInto(now, id, page, sink));
  }

  /** What the cluster bus heard (cluster/inbound.ts). */
  clusterEventInto(now: number, event: ClusterEvent, sink: RelaySink): void {
    this.begin(now, sink);
    clusterEvent(this, event);
  }

  /** The bus's answer to a `claim` action. */
  clusterClaimedInto(now: number, id: number, claim: NickClaim, sink: RelaySink): void {
    this.begin(now, sink);
    claimAnswered(this, id, claim);
  }

  /** The bus's answer to a `members` action. */
  clusterMembersInto(now: number, roomKey: string, members: readonly ClusterMember[], sink: RelaySink): void {
    this.begin(now, sink);
    membersAnswered(this, roomKey, members);
  }

  /** The bus connected (true) or went away (false). */
  clusterStatusInto(now: number, connected: boolean, sink: RelaySink): void {
    this.begin(now, sink);
    statusChanged(this, connected);
  }

  /** Graceful shutdown (the seed's pitfall): tell every client the server is going down. */
  shutdown(now: number): RelayOutput {
    return this.collect((sink) => this.shutdownInto(now, sink));
  }

  /** `handle`, writing into `sink` as it goes: the binding's hot path allocates no output arrays. */
  handleInto(now: number, from: Address, bytes: Uint8Array, sink: RelaySink): void {
    this.begin(now, sink);
    if (this.settings.isOwnAddress(from)) {
      this.ignore(from, 'own-address');
      return;
    }
    if (!isReplyable(from)) {
      this.ignore(from, 'unreplyable-source');
      return;
    }
    const session = this.sessions.get(from);
    // The seed refreshes last_seen for any datagram from a joined client, so we do too.
    if (session !== undefined) this.heard(session, now);
    const decoded = decodeDatagram(bytes);
    if (!decoded.ok) {
      this.refuseDatagram(from, session, decoded.error, decoded.bytes);
      return;
    }
    for (const line of decoded.lines) this.handleLine(from, line);
  }

  /**
   * Lines from a v2 session, already in order and deduplicated by the v2 layer. The peer's address was
   * validated (docs/PROTOCOL-v2.md), so its replies are not rate-limited like answers to a bare address.
   */
  handleLinesInto(now: number, peer: SessionPeer, lines: readonly string[], sink: RelaySink): void {
    this.begin(now, sink);
    const session = this.sessions.get(peer);
    if (session !== undefined) this.heard(session, now);
    for (const line of lines) this.handleLine(peer, line);
  }

  /** Any sign of life from a v2 session that carried no line (an acknowledgement, a keep-alive). */
  heardFrom(now: number, peer: SessionPeer): void {
    const session = this.sessions.get(peer);
    if (session !== undefined) this.heard(session, now);
  }

  /**
   * A session peer ended without /leave: it said goodbye (a v2 CLOSE, a stream's end: `left`), or its
   * transport found it silent (`timed out`, announced as v1's idle eviction is).
   */
  disconnectInto(
    now: number,
    peer: SessionPeer,
    sink: RelaySink,
    reason: 'left' | 'timed out' = 'left',
  ): void {
    this.begin(now, sink);
    const session = this.sessions.get(peer);
    if (session !== undefined) this.depart(session, reason);
  }

  tickInto(now: number, sink: RelaySink): void {
    this.begin(now, sink);
    const due = this.reaper.sweep(now, this.sessions);
    for (const session of due.evict) this.depart(session, 'timed out');
    for (const session of due.ping) this.outbox.ping(session, PING_DATAGRAM);
  }

  secretCheckedInto(now: number, id: number, ok: boolean, sink: RelaySink): void {
    this.begin(now, sink);
    finishLogin(this, id, ok);
  }

  historyAnsweredInto(now: number, id: number, page: HistoryPage<RoomLine>, sink: RelaySink): void {
    this.begin(now, sink);
    answerHistory(this, id, page);
  }

  shutdownInto(now: number, sink: RelaySink): void {
    this.begin(now, sink);
    this.toAll(wire.SERVER_GOING_DOWN);
  }

  // --- RelayContext, used by the command handlers: the sending half is the outbox ---

  wallTime(): number {
    return this.settings.wallClock === null ? this.clock : this.settings.wallClock();
  }

  reply(to: Address, line: string | Uint8Array, session: Session | undefined): void {
    this.outbox.reply(to, line, session);
  }

  send(session: Session, line: string | Uint8Array): void {
    this.outbox.send(session, line);
  }

  toRoom(room: Room, line: string, except?: Session): number {
    return this.outbox.toRoom(room, line, except);
  }

  toSharers(session: Session, line: string): number {
    return this.outbox.toSharers(session, line);
  }

  toAll(line: string | Uint8Array): number {
    return this.outbox.toAll(line);
  }

  refuse(to: Address, session: Session | undefined, reason: RefusalReason, line: string): void {
    this.outbox.refuse(to, session, reason, line);
  }

  depart(session: Session, reason: DepartureReason, detail = ''): void {
    if (this.sessions.get(session.address) === session) announceDeparture(this, session, reason);
    this.outbox.depart(session, reason, detail);
  }

  toCluster(action: ClusterAction): void {
    if (this.cluster !== null) this.outbox.toCluster(action);
  }

  emit(event: RelayEvent): void {
    this.outbox.emit(event);
  }

  schedule(task: TaskRequest): number {
    return this.outbox.schedule(task);
  }

  // --- internals ---

  private begin(now: number, sink: RelaySink): void {
    this.clock = now;
    this.outbox.open(now, sink);
    this.sessions.advance(now); // so stamps taken during this call stay small (session-clock.ts)
  }

  private collect(run: (sink: RelaySink) => void): RelayOutput {
    const output = emptyOutput();
    run(collectingSink(output));
    this.outbox.close();
    return output;
  }

  private ignore(from: Address, reason: 'own-address' | 'unreplyable-source'): void {
    this.outbox.emit({ type: 'ignored', address: from, reason });
  }

  private heard(session: Session, now: number): void {
    this.sessions.touch(session, now);
    session.unansweredPings = 0;
  }

  private handleLine(from: Address, line: string): void {
    // Looked up per line: an earlier line of the same datagram may have joined or left.
    const session = this.sessions.get(from);
    const parsed = parseLine(line);
    if (session === undefined) {
      const command = parsed.kind === 'command' ? commandTable.get(parsed.name) : undefined;
      if (parsed.kind === 'command' && command?.open === true) command.handle(this, from, undefined, parsed);
      else this.answerUnjoined(from, line);
      return;
    }
    if (parsed.kind === 'text') {
      if (this.admit(session)) handleSay(this, session, parsed.text);
      return;
    }
    const command = commandTable.get(parsed.name);
    if (command?.throttled !== false && !this.admit(session)) return;
    if (command === undefined)
      this.refuse(from, session, 'unknown-command', wire.unknownCommand(parsed.name));
    else if (command.open) command.handle(this, from, session, parsed);
    else command.handle(this, session, parsed);
  }

  /**
   * Flood control: a line costs a token; a dropped line is answered at most once a second. The bucket is
   * made full at the first line, as full as one made at the join would be then, so idle clients need none.
   */
  private admit(session: Session): boolean {
    session.lines ??= bucketFor(this.lineLimit, this.clock);
    if (session.lines.take(this.clock)) return true;
    this.outbox.emit({ type: 'ignored', address: session.address, reason: 'throttled' });
    if (this.clock - session.lastThrottleNoticeAt >= THROTTLE_NOTICE_INTERVAL_MS) {
      session.lastThrottleNoticeAt = this.clock;
      this.send(session, THROTTLED_DATAGRAM);
    }
    return false;
  }

  private answerUnjoined(from: Address, line: string): void {
    // Another relay's output (or a forgery of it) is never answered, so two relays cannot ping-pong.
    if (wire.looksLikeRelayOutput(line) || isHistoryOutput(line)) {
      this.outbox.emit({ type: 'ignored', address: from, reason: 'relay-output' });
      return;
    }
    this.outbox.emit({ type: 'refused', address: from, reason: 'not-joined' });
    this.reply(from, PLEASE_JOIN_DATAGRAM, undefined);
  }

  private refuseDatagram(
    from: Address,
    session: Session | undefined,
    error: 'too-large' | 'invalid-utf8' | 'too-many-lines',
    bytes: number,
  ): void {
    if (error === 'invalid-utf8') this.refuse(from, session, 'invalid-utf8', wire.INVALID_UTF8);
    else if (error === 'too-large')
      this.refuse(
        from,
        session,
        'datagram-too-large',
        wire.datagramTooLarge(bytes, MAX_INBOUND_DATAGRAM_BYTES),
      );
    else this.refuse(from, session, 'too-many-lines', wire.tooManyLines(MAX_LINES_PER_DATAGRAM));
  }
}
