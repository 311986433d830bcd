/**
 * The relay's side of protocol v2 (docs/PROTOCOL-v2.md), sans-I/O: stateless HELLO/RETRY address
 * validation, sessions created only for a valid cookie, authenticated DATA fed to each session's reliable
 * channel, NAT rebinding through CHALLENGE/RESPONSE, and every answer to an unvalidated address within 3x
 * of what it sent. Lines go up to the relay core through the sink; the core's lines for a session come
 * down through `sendLine`, and `flush` turns what is due into sealed datagrams.
 */
import type { Address } from '../protocol/address.ts';
import { CookieJar } from '../protocol/v2/cookie.ts';
import { drawRandom, type RandomSource } from '../protocol/v2/crypto.ts';
import { deriveSessionKeys, generateKeyPair, sharedSecret } from '../protocol/v2/keys.ts';
import {
  AMPLIFICATION_FACTOR,
  CHALLENGE_BYTES,
  NONCE_BYTES,
  SESSION_ID_BYTES,
} from '../protocol/v2/limits.ts';
import {
  bytesEqual,
  decodeHello,
  encodeReject,
  encodeRetry,
  type HelloPacket,
  hex,
  peek,
  REJECT_REASONS,
  sealAccept,
  unsupportedVersionEcho,
} from '../protocol/v2/wire.ts';
import { RelaySession } from './relay-session.ts';
import type { ReliableOptions } from './reliable/options.ts';
import { SessionLink } from './session-link.ts';

export interface V2RelaySink {
  datagram(to: Address, bytes: Uint8Array): void;
  /** In-order lines from a session, for the relay core. */
  lines(session: RelaySession, lines: readonly string[]): void;
  /** An authenticated datagram without lines (an ack, a keep-alive): the session is alive. */
  heard(session: RelaySession): void;
  /** The session is gone (CLOSE from the client, or silence); the core should treat it as having left. */
  ended(session: RelaySession): void;
}

export interface V2RelayOptions {
  readonly random: RandomSource;
  readonly maxSessions: number;
  /** Sessions per source host; 0 means no cap. */
  readonly maxPerHost: number;
  /** A session not heard for this long is dropped (the client's keep-alive is every 10 s). */
  readonly idleTimeoutMs: number;
  readonly keepAliveS: number;
  readonly channel?: Partial<ReliableOptions>;
}

export interface V2RelayStats {
  retries: number;
  accepts: number;
  rejects: number;
  migrations: number;
  challenges: number;
  dropped: number;
  retransmissions: number;
  linesFailed: number;
}

const CHALLENGE_DATAGRAM_BYTES = 3 + SESSION_ID_BYTES + 4 + CHALLENGE_BYTES + 16;
const REJECT_DATAGRAM_BYTES = 3 + NONCE_BYTES + 1;
/** A challenge not answered within this long is sent again (budget permitting). */
const CHALLENGE_RETRY_MS = 1_000;

/** Every counter at zero: a new endpoint's stats. */
export function noV2RelayStats(): V2RelayStats {
  return {
    retries: 0,
    accepts: 0,
    rejects: 0,
    migrations: 0,
    challenges: 0,
    dropped: 0,
    retransmissions: 0,
    linesFailed: 0,
  };
}

export class V2RelayEndpoint {
  readonly stats: V2RelayStats = noV2RelayStats();
  private readonly cookies: CookieJar;
  private readonly byId = new Map<string, RelaySession>();
  private readonly byNonce = new Map<string, RelaySession>();
  private readonly perHost = new Map<string, number>();
  private readonly dirty = new Set<RelaySession>();
  /** The earliest timer a flush has just created (a retransmission, a delayed ack), for the binding. */
  private wakeHint = Number.POSITIVE_INFINITY;

  constructor(private readonly options: V2RelayOptions) {
    this.cookies = new CookieJar(options.random);
  }

  get sessionCount(): number {
    return this.byId.size;
  }

  /** One v2 datagram (first byte 0xFF) from `from`. Never throws. */
  handle(now: number, from: Address, bytes: Uint8Array, sink: V2RelaySink): void {
    const peeked = peek(bytes);
    if (!peeked.ok) {
      if (peeked.reason === 'version') this.rejectVersion(from, bytes, sink);
      else this.stats.dropped++;
      return;
    }
    if (peeked.type === 'hello') this.onHello(now, from, bytes, sink);
    else if (peeked.type === 'data') this.onData(now, from, peeked.sessionId, bytes, sink);
    else if (peeked.type === 'response') this.onResponse(from, peeked.sessionId, bytes);
    else if (peeked.type === 'close') this.onClose(peeked.sessionId, bytes, sink);
    else this.stats.dropped++;
  }

  /** Queues one line for a session; `flush` sends it. */
  sendLine(session: RelaySession, text: string): void {
    if (!this.byId.has(hex(session.id))) return;
    if (!session.link.channel.send(text).ok) this.stats.dropped++;
    this.dirty.add(session);
  }

  /** Ends a session from the relay's side (eviction, kill, shutdown) and tells the client. */
  close(session: RelaySession, reason: number, sink: V2RelaySink): void {
    if (!this.remove(session)) return;
    sink.datagram(session.address, session.link.sealClose(reason));
  }

  /** Ends every session (the relay is shutting down), after flushing what they have queued. */
  closeAll(now: number, reason: number, sink: V2RelaySink): void {
    this.flush(now, sink);
    for (const session of [...this.byId.values()]) this.close(session, reason, sink);
  }

  /** Sends whatever the sessions touched since the last flush have due. */
  flush(now: number, sink: V2RelaySink): void {
    // Called after every datagram: a cleared Set gets a new table, so clearing an empty one is garbage.
    if (this.dirty.size === 0) return;
    for (const session of this.dirty) {
      for (const datagram of session.link.drain(now)) sink.datagram(session.address, datagram);
      const due = session.link.channel.nextTimeout();
      if (due !== null && due < this.wakeHint) this.wakeHint = due;
    }
    this.dirty.clear();
  }

  /**
   * The earliest deadline the flushes since the last call created, or null. The binding's timer was set
   * before those lines were sent; without this it would wake only at its next sweep, seconds late, and a
   * lost line or a delayed ack would wait that long.
   */
  takeWakeHint(): number | null {
    const hint = this.wakeHint;
    this.wakeHint = Number.POSITIVE_INFINITY;
    return Number.isFinite(hint) ? hint : null;
  }

  /** Timers: retransmissions, delayed acks, silent sessions. */
  tick(now: number, sink: V2RelaySink): void {
    for (const session of [...this.byId.values()]) {
      if (now - session.lastHeard > this.options.idleTimeoutMs) {
        this.remove(session);
        sink.ended(session);
        continue;
      }
      const due = session.link.channel.nextTimeout();
      if (due !== null && due <= now) this.fireTimers(now, session);
    }
    this.flush(now, sink);
  }

  /** The earliest time `tick` has work, or null. */
  nextTimeout(): number | null {
    let earliest: number | null = null;
    for (const session of this.byId.values()) {
      const channel = session.link.channel.nextTimeout();
      const idle = session.lastHeard + this.options.idleTimeoutMs + 1;
      const due = channel === null ? idle : Math.min(channel, idle);
      if (earliest === null || due < earliest) earliest = due;
    }
    return earliest;
  }

  private fireTimers(now: number, session: RelaySession): void {
    const before = session.link.channel.stats.retransmissions;
    const events = session.link.channel.onTimeout(now);
    this.stats.retransmissions += session.link.channel.stats.retransmissions - before;
    this.stats.linesFailed += events.failed.length;
    this.dirty.add(session);
  }

  private onHello(now: number, from: Address, bytes: Uint8Array, sink: V2RelaySink): void {
    const decoded = decodeHello(bytes);
    if (!decoded.ok) {
      this.stats.dropped++;
      return;
    }
    const hello = decoded.packet;
    const subject = { ip: from.host, port: from.port, nonce: hello.nonce, publicKey: hello.publicKey };
    if (hello.cookie === null || !this.cookies.verify(now, hello.cookie, subject).ok) {
      // Stateless (RFC 6347 §4.2.1): nothing is kept; 31 bytes answer at least 96 (well within 3x).
      this.stats.retries++;
      sink.datagram(from, encodeRetry({ nonce: hello.nonce, cookie: this.cookies.mint(now, subject) }));
      return;
    }
    this.accept(now, from, hello, sink);
  }

  /** The address proved it receives: create the session (or repeat the ACCEPT a lost datagram needs). */
  private accept(now: number, from: Address, hello: HelloPacket, sink: V2RelaySink): void {
    const existing = this.byNonce.get(hex(hello.nonce));
    if (existing !== undefined) {
      if (existing.isAt(from)) sink.datagram(from, existing.accept);
      return;
    }
    if (this.full(from.host)) {
      this.stats.rejects++;
      sink.datagram(from, encodeReject({ echo: hello.nonce, reason: REJECT_REASONS.tooManySessions }));
      return;
    }
    const session = this.createSession(now, from, hello);
    if (session === null) {
      this.stats.dropped++;
      return;
    }
    this.stats.accepts++;
    sink.datagram(from, session.accept);
  }

  private createSession(now: number, from: Address, hello: HelloPacket): RelaySession | null {
    const { random, idleTimeoutMs, keepAliveS, channel } = this.options;
    const id = drawRandom(random, SESSION_ID_BYTES);
    const pair = generateKeyPair(random);
    const shared = sharedSecret(pair.privateKey, hello.publicKey);
    if (!shared.ok) return null;
    const keys = deriveSessionKeys(shared.secret, hello.nonce, id);
    const accept = sealAccept(
      {
        nonce: hello.nonce,
        sessionId: id,
        publicKey: pair.publicKey,
        idleTimeoutS: Math.min(65_535, Math.ceil(idleTimeoutMs / 1000)),
        keepAliveS,
      },
      keys.relayToClient,
    );
    const idHex = hex(id);
    const link = new SessionLink('relay', id, keys, channel);
    const session = new RelaySession(id, idHex, hex(hello.nonce), accept, link, from, now);
    this.byId.set(idHex, session);
    this.byNonce.set(session.nonceHex, session);
    this.perHost.set(from.host, (this.perHost.get(from.host) ?? 0) + 1);
    return session;
  }

  private full(host: string): boolean {
    const { maxSessions, maxPerHost } = this.options;
    return this.byId.size >= maxSessions || (maxPerHost > 0 && (this.perHost.get(host) ?? 0) >= maxPerHost);
  }

  private onData(
    now: number,
    from: Address,
    sessionId: Uint8Array,
    bytes: Uint8Array,
    sink: V2RelaySink,
  ): void {
    const session = this.byId.get(hex(sessionId));
    if (session === undefined) {
      this.rejectUnknown(from, sessionId, bytes.byteLength, sink);
      return;
    }
    const received = session.link.receiveData(now, bytes);
    if (!received.ok) {
      this.stats.dropped++;
      return;
    }
    session.lastHeard = now;
    if (!session.isAt(from)) this.onNewPath(now, session, from, bytes.byteLength, sink);
    const lines = received.value.delivered.flatMap((d) => (d.type === 'line' ? [d.text] : []));
    if (lines.length > 0) sink.lines(session, lines);
    else sink.heard(session);
    this.dirty.add(session);
  }

  /**
   * Authenticated, fresh DATA from a new address: the client's NAT rebound (or an on-path attacker raced a
   * copy). The path is used only after it answers a CHALLENGE; until then it is sent at most 3x what it sent.
   */
  private onNewPath(
    now: number,
    session: RelaySession,
    from: Address,
    bytesIn: number,
    sink: V2RelaySink,
  ): void {
    let candidate = session.candidate;
    if (candidate === null || candidate.address.host !== from.host || candidate.address.port !== from.port) {
      const challenge = drawRandom(this.options.random, CHALLENGE_BYTES);
      candidate = {
        address: from,
        challenge,
        bytesIn: 0,
        bytesOut: 0,
        challengedAt: Number.NEGATIVE_INFINITY,
      };
      session.candidate = candidate;
    }
    candidate.bytesIn += bytesIn;
    const withinBudget =
      candidate.bytesOut + CHALLENGE_DATAGRAM_BYTES <= AMPLIFICATION_FACTOR * candidate.bytesIn;
    if (!withinBudget || now - candidate.challengedAt < CHALLENGE_RETRY_MS) return;
    candidate.bytesOut += CHALLENGE_DATAGRAM_BYTES;
    candidate.challengedAt = now;
    this.stats.challenges++;
    sink.datagram(from, session.link.sealChallenge(candidate.challenge));
  }

  private onResponse(from: Address, sessionId: Uint8Array, bytes: Uint8Array): void {
    const session = this.byId.get(hex(sessionId));
    const candidate = session?.candidate;
    if (session === undefined || candidate === null || candidate === undefined) {
      this.stats.dropped++;
      return;
    }
    const answered = session.link.receiveResponse(bytes);
    const fromCandidate = candidate.address.host === from.host && candidate.address.port === from.port;
    if (!answered.ok || !fromCandidate || !bytesEqual(answered.value, candidate.challenge)) {
      this.stats.dropped++;
      return;
    }
    session.migrate(from);
    this.stats.migrations++;
    this.dirty.add(session);
  }

  private onClose(sessionId: Uint8Array, bytes: Uint8Array, sink: V2RelaySink): void {
    const session = this.byId.get(hex(sessionId));
    if (session === undefined || !session.link.receiveClose(bytes).ok) {
      this.stats.dropped++;
      return;
    }
    this.remove(session);
    sink.ended(session);
  }

  private rejectUnknown(from: Address, sessionId: Uint8Array, bytesIn: number, sink: V2RelaySink): void {
    if (REJECT_DATAGRAM_BYTES > AMPLIFICATION_FACTOR * bytesIn) return;
    this.stats.rejects++;
    sink.datagram(from, encodeReject({ echo: sessionId, reason: REJECT_REASONS.unknownSession }));
  }

  private rejectVersion(from: Address, bytes: Uint8Array, sink: V2RelaySink): void {
    const echo = unsupportedVersionEcho(bytes);
    if (echo === null || REJECT_DATAGRAM_BYTES > AMPLIFICATION_FACTOR * bytes.byteLength) return;
    this.stats.rejects++;
    sink.datagram(from, encodeReject({ echo, reason: REJECT_REASONS.versionNotSupported }));
  }

  private remove(session: RelaySession): boolean {
    const idHex = hex(session.id);
    if (this.byId.get(idHex) !== session) return false;
    this.byId.delete(idHex);
    this.byNonce.delete(session.nonceHex);
    this.dirty.delete(session);
    const host = session.countedHost;
    const count = (this.perHost.get(host) ?? 1) - 1;
    if (count > 0) this.perHost.set(host, count);
    else this.perHost.delete(host);
    return true;
  }
}
