/**
 * The relay's side of protocol v2 (docs/PROTOCOL-v2.md), sans-I/O: stateless HELLO/RETRY address
 * validation, sessions created only for a valid cookie, authenticated DATA fed to each session's reliable
 * channel, NAT rebinding through CHALLENGE/RESPONSE, and every answer to an unvalidated address within 3x
 * of what it sent. Lines go up to the relay core through the sink; the core's lines for a session come
 * down through `sendLine`, and `flush` turns what is due into sealed datagrams.
 *
 * This file is the dispatcher; each packet type's handler, the session table and the timer schedule live
 * in relay-endpoint/.
 */
import type { Address } from '../protocol/address.ts';
import { type AdvertisedTimers, advertisedTimers } from '../protocol/v2/accept-timers.ts';
import { CookieJar } from '../protocol/v2/cookie.ts';
import { CLOSE_REASONS } from '../protocol/v2/packets.ts';
import { peekProtected } from '../protocol/v2/protected-peek.ts';
import { RelayIdentity } from '../protocol/v2/relay-identity.ts';
import { PACKET_HANDLERS, routingId } from './relay-endpoint/handlers.ts';
import { rejectVersion } from './relay-endpoint/handshake.ts';
import type { V2RelayOptions } from './relay-endpoint/options.ts';
import { SessionSchedule } from './relay-endpoint/schedule.ts';
import { SessionRegistry } from './relay-endpoint/sessions.ts';
import type { V2RelaySink } from './relay-endpoint/sink.ts';
import { SpentNonces } from './relay-endpoint/spent-nonces.ts';
import { countDrop, type EndpointState, endSession } from './relay-endpoint/state.ts';
import { noV2RelayStats, type V2RelayStats } from './relay-endpoint/stats.ts';
import type { RelaySession } from './relay-session.ts';

export type { V2RelayOptions } from './relay-endpoint/options.ts';
export type { V2RelaySink } from './relay-endpoint/sink.ts';
export { noV2RelayStats, type V2RelayStats } from './relay-endpoint/stats.ts';

export class V2RelayEndpoint {
  readonly stats: V2RelayStats = noV2RelayStats();
  private readonly state: EndpointState;

  /** Throws RangeError for an idle timeout the ACCEPT cannot carry (the relay refuses to start with it). */
  constructor(options: V2RelayOptions) {
    const timers = advertisedTimers(options.idleTimeoutMs, options.keepAliveMs);
    this.state = {
      options,
      stats: this.stats,
      cookies: new CookieJar(options.random),
      sessions: new SessionRegistry(options),
      schedule: new SessionSchedule(timers.idleTimeoutMs, this.stats),
      timers,
      identity: options.identity ?? RelayIdentity.generate(options.random),
      spentNonces: new SpentNonces(),
    };
  }

  /** The identity every ACCEPT proves (its public key is what clients pin). */
  get identity(): RelayIdentity {
    return this.state.identity;
  }

  /** The idle timeout and keep-alive every ACCEPT advertises. */
  get timers(): AdvertisedTimers {
    return this.state.timers;
  }

  get sessionCount(): number {
    return this.state.sessions.size;
  }

  /** One v2 datagram (first byte 0xFF) from `from`. Never throws. */
  handle(now: number, from: Address, bytes: Uint8Array, sink: V2RelaySink): void {
    const peeked = peekProtected(bytes);
    if (!peeked.ok) {
      if (peeked.reason === 'version') rejectVersion(this.state, from, bytes, sink);
      else countDrop(this.stats, peeked.reason);
      return;
    }
    PACKET_HANDLERS[peeked.type](this.state, now, from, bytes, routingId(peeked), sink);
  }

  /** Queues one line for a session; `flush` sends it. */
  sendLine(session: RelaySession, text: string): void {
    if (!this.state.sessions.has(session)) return;
    if (!session.link.channel.send(text).ok) this.stats.dropped++;
    this.state.schedule.touch(session);
  }

  /**
   * Holds the session's acknowledgement below line `fromSeq` until `releaseAcks` reaches `token` (a
   * store's commit ticket: no line is acknowledged before it is durable, docs/PROTOCOL-v2.md).
   */
  holdAcks(session: RelaySession, fromSeq: number, token: number): void {
    if (this.state.sessions.has(session)) session.link.channel.holdAcks(fromSeq, token);
  }

  /** Lifts the session's holds up to `token`; `flush` sends the acknowledgement. True if holds remain. */
  releaseAcks(now: number, session: RelaySession, token: number): boolean {
    if (!this.state.sessions.has(session)) return false;
    const remaining = session.link.channel.releaseAcks(now, token);
    this.state.schedule.touch(session);
    return remaining;
  }

  /**
   * Server keep-alive (`--keepalive server`): a PING frame to the session, which the client's channel
   * answers at once; the answer reaches the core as `heard`. Not a v1 `/ping` line.
   */
  ping(session: RelaySession): void {
    if (!this.state.sessions.has(session)) return;
    session.link.channel.keepalive();
    this.state.schedule.touch(session);
  }

  /** Ends a session from the relay's side (eviction, kill, shutdown) and tells the client. */
  close(now: number, session: RelaySession, reason: number, sink: V2RelaySink): void {
    if (!endSession(this.state, now, session)) return;
    sink.datagram(session.address, session.link.sealClose(reason));
  }

  /** Ends every session (the relay is shutting down), after flushing what they have queued. */
  closeAll(now: number, reason: number, sink: V2RelaySink): void {
    this.flush(now, sink);
    for (const session of this.state.sessions.snapshot()) this.close(now, session, reason, sink);
  }

  /**
   * Sends whatever the sessions touched since the last flush have due. A session whose packet numbers ran
   * out sends its last one as CLOSE 4 (renew) and ends; its client opens a new one at once.
   */
  flush(now: number, sink: V2RelaySink): void {
    for (const session of this.state.schedule.flush(now, sink)) {
      this.close(now, session, CLOSE_REASONS.renew, sink);
      sink.ended(session, 'left');
    }
  }

  /** Timers that are due: retransmissions, delayed acks, silent sessions. */
  tick(now: number, sink: V2RelaySink): void {
    const { sessions, schedule } = this.state;
    for (const session of schedule.takeDue(now)) {
      // An earlier session's departure may have ended this one (the core evicting it closes it).
      if (!sessions.has(session)) continue;
      if (now - session.lastHeard > this.state.timers.idleTimeoutMs) {
        // Said, not only done: the client learns at once instead of from a REJECT to its next ping, and the
        // core announces "timed out", as for a silent v1 client.
        this.stats.idleClosed++;
        this.close(now, session, CLOSE_REASONS.idle, sink);
        sink.ended(session, 'timed out');
        continue;
      }
      const due = session.link.channel.nextTimeout();
      if (due !== null && due <= now) this.fireTimers(now, session);
      schedule.touch(session);
    }
    this.flush(now, sink);
  }

  /**
   * The earliest time `tick` has work, or null. It already counts the timers a flush has just started (a
   * retransmission, a delayed ack), so the binding can read it after every datagram to wake in time.
   */
  nextTimeout(): number | null {
    return this.state.schedule.nextTimeout();
  }

  /** A timer only marks lines due or gives them up; the re-sends happen (and are counted) at the flush. */
  private fireTimers(now: number, session: RelaySession): void {
    this.stats.linesFailed += session.link.channel.onTimeout(now).failed.length;
  }
}
