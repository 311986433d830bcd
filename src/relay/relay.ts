/**
 * The v1 relay as a sans-I/O state machine: `handle(now, from, bytes)` and `tick(now)` return the datagrams
 * to send and the events that happened. It never touches a socket or a clock, so every rule of the seed's
 * relay.py (and every refusal we add) is tested with a fake clock and replayed exactly.
 */
import type { Address } from '../protocol/address.ts';
import { addressKey, isReplyable } from '../protocol/address.ts';
import { decodeDatagram, encodeLine } from '../protocol/codec.ts';
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_SWEEP_INTERVAL_MS,
  MAX_INBOUND_DATAGRAM_BYTES,
  MAX_LINES_PER_DATAGRAM,
  UNJOINED_REPLY_BURST,
  UNJOINED_REPLY_PER_SECOND,
  UNJOINED_REPLY_TRACKED,
} from '../protocol/limits.ts';
import * as wire from '../protocol/messages.ts';
import { findCommand, handleSay } from './commands/index.ts';
import type { DepartureReason, RelayContext } from './context.ts';
import { IdleReaper } from './idle-reaper.ts';
import type { RefusalReason, RelayEvent, RelayOutput } from './output.ts';
import { ReplyLimiter } from './reply-limiter.ts';
import type { Session } from './session-table.ts';
import { SessionTable } from './session-table.ts';

export interface RelayOptions {
  readonly idleTimeoutMs?: number;
  readonly sweepIntervalMs?: number;
  /**
   * True for the relay's own address(es). A datagram forged with the relay's own address as its source
   * must never be answered: the answer would come back to the relay and could loop.
   */
  readonly isOwnAddress?: (address: Address) => boolean;
}

const PLEASE_JOIN_DATAGRAM = encodeLine(wire.PLEASE_JOIN);

export class Relay implements RelayContext {
  readonly sessions = new SessionTable();
  private readonly reaper: IdleReaper;
  private readonly unjoinedReplies = new ReplyLimiter({
    burst: UNJOINED_REPLY_BURST,
    perSecond: UNJOINED_REPLY_PER_SECOND,
    tracked: UNJOINED_REPLY_TRACKED,
  });
  private readonly isOwnAddress: (address: Address) => boolean;
  private out: RelayOutput = { transmits: [], events: [] };
  private clock = 0;

  constructor(options: RelayOptions = {}, startedAt = 0) {
    this.reaper = new IdleReaper(
      {
        idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
        sweepIntervalMs: options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS,
      },
      startedAt,
    );
    this.isOwnAddress = options.isOwnAddress ?? (() => false);
    this.clock = startedAt;
  }

  get now(): number {
    return this.clock;
  }

  /** When the binding should call `tick` next (the reaper's next sweep). */
  nextTickAt(): number {
    return this.reaper.dueAt;
  }

  /** One datagram from `from`. Never throws, whatever the bytes. */
  handle(now: number, from: Address, bytes: Uint8Array): RelayOutput {
    const out = this.begin(now);
    if (this.isOwnAddress(from)) return this.ignore(out, from, 'own-address');
    if (!isReplyable(from)) return this.ignore(out, from, 'unreplyable-source');
    const session = this.sessions.get(from);
    // The seed refreshes last_seen for any datagram from a joined client, so we do too.
    if (session !== undefined) session.lastSeen = now;
    const decoded = decodeDatagram(bytes);
    if (!decoded.ok) {
      this.refuseDatagram(from, session, decoded.error, decoded.bytes);
      return out;
    }
    for (const line of decoded.lines) this.handleLine(from, line);
    return out;
  }

  /** Timers: evicts idle clients when a sweep is due. */
  tick(now: number): RelayOutput {
    const out = this.begin(now);
    for (const session of this.reaper.sweep(now, this.sessions)) this.depart(session, 'timed out');
    return out;
  }

  /** Graceful shutdown (the seed's pitfall): tell every client the server is going down. */
  shutdown(now: number): RelayOutput {
    const out = this.begin(now);
    this.broadcast(wire.SERVER_GOING_DOWN);
    return out;
  }

  // --- RelayContext, used by the command handlers ---

  reply(to: Address, line: string | Uint8Array, session: Session | undefined): void {
    if (session === undefined && !this.unjoinedReplies.allow(addressKey(to), this.clock)) {
      this.out.events.push({ type: 'ignored', address: to, reason: 'reply-limited' });
      return;
    }
    this.out.transmits.push({ to, payload: typeof line === 'string' ? encodeLine(line) : line });
  }

  broadcast(line: string | Uint8Array, except?: Session): number {
    const payload = typeof line === 'string' ? encodeLine(line) : line;
    let count = 0;
    for (const session of this.sessions.values()) {
      if (session === except) continue;
      this.out.transmits.push({ to: session.address, payload });
      count++;
    }
    return count;
  }

  refuse(to: Address, session: Session | undefined, reason: RefusalReason, line: string): void {
    this.out.events.push({ type: 'refused', address: to, reason });
    this.reply(to, line, session);
  }

  depart(session: Session, reason: DepartureReason): void {
    if (!this.sessions.remove(session)) return;
    this.broadcast(reason === 'left' ? wire.left(session.nick) : wire.timedOut(session.nick));
    this.out.events.push({ type: 'departed', address: session.address, nick: session.nick, reason });
  }

  emit(event: RelayEvent): void {
    this.out.events.push(event);
  }

  // --- internals ---

  private begin(now: number): RelayOutput {
    this.clock = now;
    this.out = { transmits: [], events: [] };
    return this.out;
  }

  private ignore(out: RelayOutput, from: Address, reason: 'own-address' | 'unreplyable-source'): RelayOutput {
    out.events.push({ type: 'ignored', address: from, reason });
    return out;
  }

  private handleLine(from: Address, line: string): void {
    // Looked up per line: an earlier line of the same datagram may have joined or left.
    const session = this.sessions.get(from);
    const found = findCommand(line);
    if (found !== null && !found.command.requiresSession) {
      found.command.handle(this, from, session, found.args);
      return;
    }
    if (session === undefined) {
      this.answerUnjoined(from, line);
      return;
    }
    if (found !== null) found.command.handle(this, from, session, found.args);
    else handleSay(this, from, session, line);
  }

  private answerUnjoined(from: Address, line: string): void {
    // Another relay's output (or a forgery of it) is never answered, so two relays cannot ping-pong.
    if (wire.looksLikeRelayOutput(line)) {
      this.out.events.push({ type: 'ignored', address: from, reason: 'relay-output' });
      return;
    }
    this.out.events.push({ type: 'refused', address: from, reason: 'not-joined' });
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
