/**
 * The client's side of protocol v2 (docs/PROTOCOL-v2.md), sans-I/O: discovery (HELLO probes; silence means
 * a v1 relay and the client falls back), address validation (HELLO with the RETRY's cookie), the session
 * keys, then reliable ordered lines in both directions, answers to path challenges, and CLOSE.
 * It carries v1 lines: the line-level ClientSession above it neither knows nor cares which version runs.
 */

import { clientKeepAliveMs } from '../protocol/v2/accept-timers.ts';
import { bytesEqual } from '../protocol/v2/bytes.ts';
import { fingerprint, fingerprintMatches } from '../protocol/v2/fingerprint.ts';
import {
  CLIENT_PING_INTERVAL_MS,
  PROBE_COUNT,
  PROBE_INTERVAL_MS,
  REPROBE_INTERVAL_MS,
  VALIDATE_COUNT,
  VALIDATE_RETRY_MS,
} from '../protocol/v2/limits.ts';
import { CLOSE_REASONS } from '../protocol/v2/packets.ts';
import type { AcceptOpened } from '../protocol/v2/protected-accept.ts';
import { decodeReject3, decodeRetry3, readVersionReject } from '../protocol/v2/protected-handshake.ts';
import {
  FULL_RELAY_RETRY_MS,
  MAX_CLIENT_LINES_PER_DATA,
  PROTECTED_VERSION,
} from '../protocol/v2/protected-limits.ts';
import { peekProtected } from '../protocol/v2/protected-peek.ts';
import type {
  AcceptTerms,
  V2ClientDrops,
  V2ClientOptions,
  V2ClientOutput,
  V2ClientState,
  V2PathStats,
  V2Refusal,
  V2SendResult,
} from './client-connection-types.ts';
import { HelloAttempt } from './hello-attempt.ts';
import { Liveness, STALL_AFTER_MS } from './liveness.ts';
import { type RejectContext, rejectVerdict } from './reject-verdict.ts';
import type { ChannelEvents, ChannelStats } from './reliable/channel.ts';
import { SessionLink } from './session-link.ts';

// Callers meet the connection's types where they meet the connection.
export type * from './client-connection-types.ts';

export class V2ClientConnection {
  private currentState: V2ClientState = 'probing';
  private attempt: HelloAttempt;
  private link: SessionLink | null = null;
  private terms: AcceptTerms | null = null;
  private liveness: Liveness | null = null;
  private lastSentAt = 0;
  /** When a datagram of the session last opened: a whole idle timeout without one means it is lost. */
  private lastHeardAt = 0;
  /** The relay has spoken v2 with us: after losing a session, never fall back to v1, keep probing. */
  private knownV2: boolean;
  /**
   * The fingerprint every session must prove: the caller's pin, else the key the first session proved
   * (trust on first use holds for the connection's whole life: a later session under another key is refused).
   */
  private pinned: string | undefined;
  private readonly drops: V2ClientDrops = { accept: {}, session: {}, rejects: 0 };
  /** The `waiting` reasons already said since the last established session (each is said once). */
  private readonly saidWaiting = new Set<'unanswered' | 'full'>();

  constructor(private readonly options: V2ClientOptions) {
    this.attempt = new HelloAttempt(options.random);
    // A pin says the relay speaks protected v2: silence is never a reason to fall back (section 5.3).
    this.pinned = options.pinnedFingerprint;
    this.knownV2 = this.pinned !== undefined;
  }

  get state(): V2ClientState {
    return this.currentState;
  }

  /** REJECTs dropped because they could not prove they came from the relay (no matching reset token). */
  get rejectsIgnored(): number {
    return this.drops.rejects;
  }

  /** Everything dropped so far, by reason. */
  get dropped(): Readonly<V2ClientDrops> {
    return this.drops;
  }

  /** What the current session's ACCEPT said (its timers, as opened from the sealed part), or null. */
  get acceptTerms(): AcceptTerms | null {
    return this.terms;
  }

  /** The channel's smoothed round-trip time, once measured. */
  get rttMs(): number | null {
    return this.link?.channel.rttMs ?? null;
  }

  /**
   * The relay's name for this session, `v2:` and its id in hex: what a resumption proof signs
   * (protocol/v2/resume-proof.ts). Null before a session is established.
   */
  get sessionKey(): string | null {
    return this.link === null ? null : `v2:${Buffer.from(this.link.sessionId).toString('hex')}`;
  }

  /** True while the relay answers nothing we send (see liveness.ts). */
  get stalled(): boolean {
    return this.liveness?.stalled ?? false;
  }

  /** Since the session last heard from the relay; 0 without a session. */
  silentMs(now: number): number {
    return this.liveness?.silentMs(now) ?? 0;
  }

  /** What the channel measured of the path, or null without a session. */
  pathStats(): V2PathStats | null {
    const channel = this.link?.channel;
    if (channel === undefined) return null;
    return {
      srttMs: channel.rttMs,
      rttvarMs: channel.rttvarMs,
      rtoMs: channel.rtoMs,
      channel: channel.stats,
    };
  }

  start(now: number): V2ClientOutput {
    const out = output();
    this.sendHello(now, out);
    return out;
  }

  /** Queues one line (a v1 line without `\n`); it goes out with the next datagram. */
  send(now: number, text: string): { result: V2SendResult; out: V2ClientOutput } {
    const out = output();
    if (this.link === null || this.currentState !== 'established') {
      return { result: { ok: false, reason: 'not connected' }, out };
    }
    const sent = this.link.channel.send(text);
    if (!sent.ok) return { result: { ok: false, reason: sent.reason }, out };
    this.drain(now, out);
    return { result: { ok: true, seq: sent.seq }, out };
  }

  /** Ends the session politely (after the relay acknowledged our /leave, or at once when asked). */
  close(now: number): V2ClientOutput {
    const out = output();
    if (this.link !== null && this.currentState === 'established') out.datagrams.push(this.link.sealClose(0));
    this.currentState = 'closed';
    this.lastSentAt = now;
    return out;
  }

  handle(now: number, bytes: Uint8Array): V2ClientOutput {
    const out = output();
    const refusal = readVersionReject(bytes);
    if (refusal !== null && refusal.version !== PROTECTED_VERSION) {
      this.onVersionReject(refusal.echo, out);
      return out;
    }
    const peeked = peekProtected(bytes);
    if (!peeked.ok) {
      count(this.drops.session, peeked.reason);
      return out;
    }
    if (peeked.type === 'retry') this.onRetry(now, bytes, out);
    else if (peeked.type === 'accept') this.onAccept(now, bytes, out);
    else if (peeked.type === 'reject') this.onReject(now, bytes, out);
    else if (
      'sessionId' in peeked &&
      this.link !== null &&
      bytesEqual(peeked.sessionId, this.link.sessionId)
    ) {
      this.onSessionDatagram(now, peeked.type, bytes, out);
    } else count(this.drops.session, 'unknown-session');
    return out;
  }

  tick(now: number): V2ClientOutput {
    const out = output();
    if (this.currentState === 'probing' || this.currentState === 'validating') this.retryHandshake(now, out);
    else if (this.currentState === 'established' && this.link !== null) this.established(now, this.link, out);
    return out;
  }

  nextTimeout(): number | null {
    if (this.currentState === 'probing' || this.currentState === 'validating') return this.attempt.nextAt;
    if (this.currentState !== 'established' || this.link === null || this.terms === null) return null;
    const channel = this.link.channel.nextTimeout();
    const keepAlive = this.lastSentAt + this.keepAliveMs();
    const silence = this.lastHeardAt + this.terms.idleTimeoutMs + 1;
    const live = this.liveness?.nextAt(this.link.channel.rtoMs) ?? null;
    const due = [channel, keepAlive, silence, live].filter((at): at is number => at !== null);
    return Math.min(...due);
  }

  /**
   * The ACCEPT's keep-alive, never more than a third of its idle timeout (so one lost PING never gets us
   * evicted), nor more than our own interval.
   */
  private keepAliveMs(): number {
    const own = this.options.keepAliveMs ?? CLIENT_PING_INTERVAL_MS;
    return this.terms === null ? own : Math.min(own, clientKeepAliveMs(this.terms));
  }

  private established(now: number, link: SessionLink, out: V2ClientOutput): void {
    if (this.terms !== null && now - this.lastHeardAt > this.terms.idleTimeoutMs) {
      // Nothing that opened for a whole idle timeout: the relay has evicted us, restarted, or is gone. Say
      // goodbye on the old keys (best effort: it frees our nick at once if the relay still has the session).
      out.datagrams.push(link.sealClose(CLOSE_REASONS.leave));
      this.restart(now, out, true);
      return;
    }
    const due = link.channel.nextTimeout();
    if (due !== null && due <= now) this.report(link.channel.onTimeout(now), out);
    const quiet = now - this.lastSentAt >= this.keepAliveMs();
    if (quiet || this.liveness?.probeDue(now) === true) link.channel.keepalive();
    this.drain(now, out);
    if (this.liveness?.check(now, link.channel.rtoMs) === 'stalled')
      out.events.push({ type: 'stalled', silentMs: this.liveness.silentMs(now) });
  }

  /** An authenticated datagram from the relay. */
  private heard(now: number, out: V2ClientOutput): void {
    const silentMs = this.liveness?.silentMs(now) ?? 0;
    if (this.liveness?.heard(now) === 'answering') out.events.push({ type: 'unstalled', silentMs });
  }

  private retryHandshake(now: number, out: V2ClientOutput): void {
    if (now < this.attempt.nextAt) return;
    const limit =
      this.currentState === 'probing'
        ? (this.options.probeCount ?? PROBE_COUNT)
        : (this.options.validateCount ?? VALIDATE_COUNT);
    if (this.attempt.sent < limit) {
      this.sendHello(now, out);
      return;
    }
    if (this.currentState === 'probing' && this.knownV2) {
      // The relay spoke v2 before: it is restarting or unreachable, not v1. Keep asking, slowly.
      this.attempt.sent = 0;
      this.attempt.nextAt = now + REPROBE_INTERVAL_MS;
      // A pinned relay never met on this connection: say once that it does not answer (section 12).
      if (this.options.pinnedFingerprint !== undefined && this.terms === null)
        this.waiting('unanswered', REPROBE_INTERVAL_MS, out);
      return;
    }
    if (this.currentState === 'probing') {
      // Nothing spoke v2 back: the relay is v1 (the seed's drops our HELLO at its UTF-8 decode).
      this.fallBack('silent', out);
      return;
    }
    if (this.attempt.proofFailed) {
      // Something answered with ACCEPTs no key proves: an attacker, or a broken relay. Say so (5.3).
      this.refuse({ kind: 'identity-unverified' }, out);
      return;
    }
    this.restart(now, out, true);
  }

  private sendHello(now: number, out: V2ClientOutput): void {
    const interval =
      this.currentState === 'probing'
        ? (this.options.probeIntervalMs ?? PROBE_INTERVAL_MS)
        : (this.options.validateRetryMs ?? VALIDATE_RETRY_MS);
    out.datagrams.push(this.attempt.hello(now, interval));
  }

  private onRetry(now: number, bytes: Uint8Array, out: V2ClientOutput): void {
    const retry = decodeRetry3(bytes);
    if (!retry.ok || !this.attempt.isOwn(retry.packet.nonce)) return;
    if (this.currentState !== 'probing' && this.currentState !== 'validating') return;
    this.currentState = 'validating';
    this.attempt.validated(retry.packet.cookie);
    this.sendHello(now, out);
  }

  /** Section 4.5's checks in order (openAccept3), then whether we trust the key it proved (5.3). */
  private onAccept(now: number, bytes: Uint8Array, out: V2ClientOutput): void {
    if (this.currentState !== 'validating' && this.currentState !== 'probing') return;
    const accept = this.attempt.open(bytes);
    if (!accept.ok) {
      count(this.drops.accept, accept.reason);
      return;
    }
    const pinned = this.pinned;
    if (pinned !== undefined && !fingerprintMatches(pinned, accept.identityKey)) {
      // Genuine for its key, but not the key we know: stop before any line is sent, no retry, no v1.
      this.refuse({ kind: 'identity-changed', offeredKey: accept.identityKey }, out);
      return;
    }
    if (pinned === undefined) this.pinned = fingerprint(accept.identityKey);
    this.establish(now, accept, pinned === undefined, out);
  }

  private establish(now: number, accept: AcceptOpened, firstContact: boolean, out: V2ClientOutput): void {
    const channel = { maxLinesPerData: MAX_CLIENT_LINES_PER_DATA, ...this.options.channel };
    this.link = new SessionLink(
      'client',
      accept.sessionId,
      accept.secrets,
      channel,
      this.options.firstPacketNumber,
    );
    this.link.observer = this.options.observer ?? null;
    this.terms = accept.params;
    this.liveness = new Liveness(
      {
        idleProbeMs: this.options.idleProbeMs ?? null,
        stallAfterMs: this.options.stallAfterMs ?? STALL_AFTER_MS,
      },
      now,
    );
    this.currentState = 'established';
    this.knownV2 = true;
    this.saidWaiting.clear();
    this.lastSentAt = now;
    this.lastHeardAt = now;
    out.events.push({ type: 'established', identityKey: accept.identityKey, firstContact });
  }

  /** A REJECT 1 of an older version for our HELLO: the relay speaks only that version (section 12). */
  private onVersionReject(echo: Uint8Array, out: V2ClientOutput): void {
    const handshaking = this.currentState === 'probing' || this.currentState === 'validating';
    if (!handshaking || !this.attempt.isOwn(echo)) {
      this.drops.rejects++;
      return;
    }
    if (this.pinned !== undefined) this.refuse({ kind: 'wire2-only' }, out);
    else this.fallBack('wire2-only', out);
  }

  private fallBack(reason: 'silent' | 'wire2-only' | 'full', out: V2ClientOutput): void {
    this.currentState = 'v1';
    out.events.push({ type: 'fallback', reason });
  }

  /** Says once (until the next session) why a pinned relay gives no session yet, and when it is asked again. */
  private waiting(reason: 'unanswered' | 'full', retryMs: number, out: V2ClientOutput): void {
    if (this.saidWaiting.has(reason)) return;
    this.saidWaiting.add(reason);
    out.events.push({ type: 'waiting', reason, retryMs });
  }

  private refuse(refusal: V2Refusal, out: V2ClientOutput): void {
    this.currentState = 'closed';
    this.link = null;
    out.events.push({ type: 'refused', refusal });
  }

  /** Applies rejectVerdict (reject-verdict.ts): only a genuine reset, or a refusal of our own HELLO, counts. */
  private onReject(now: number, bytes: Uint8Array, out: V2ClientOutput): void {
    const reject = decodeReject3(bytes);
    if (!reject.ok) {
      this.drops.rejects++;
      return;
    }
    const verdict = rejectVerdict(reject.packet, this.rejectContext());
    if (verdict === 'reset') this.restart(now, out, true);
    else if (verdict === 'stop') this.restart(now, out, false);
    else if (verdict === 'fallback' && this.knownV2) {
      // A pinned (or already proven) relay that refuses us is full or misconfigured, not an old relay: ask
      // again later rather than speak unprotected v1 to whoever answers (section 12).
      this.attempt.sent = 0;
      this.attempt.nextAt = now + FULL_RELAY_RETRY_MS;
      if (reject.packet.reason === 3) this.waiting('full', FULL_RELAY_RETRY_MS, out);
    } else if (verdict === 'fallback') {
      // The relay still serves v1 unless --strict.
      this.fallBack(reject.packet.reason === 3 ? 'full' : 'wire2-only', out);
    } else this.drops.rejects++;
  }

  private rejectContext(): RejectContext {
    if (this.currentState === 'established' && this.link !== null && this.terms !== null) {
      return { phase: 'established', sessionId: this.link.sessionId, resetToken: this.terms.resetToken };
    }
    if (this.currentState === 'probing' || this.currentState === 'validating') {
      return { phase: 'handshake', nonce: this.attempt.nonce };
    }
    return { phase: 'other' };
  }

  private onSessionDatagram(now: number, type: string, bytes: Uint8Array, out: V2ClientOutput): void {
    const link = this.link;
    if (link === null) return;
    if (type === 'data') {
      const received = link.receiveData(now, bytes);
      if (received.ok) {
        this.lastHeardAt = now;
        this.heard(now, out);
        this.report(received.value.events, out);
      } else count(this.drops.session, received.reason);
      this.drain(now, out);
    } else if (type === 'challenge' && !link.exhausted) {
      const answered = link.answerChallenge(bytes);
      if (answered.ok) {
        this.lastHeardAt = now;
        this.heard(now, out);
        out.datagrams.push(answered.value);
      } else count(this.drops.session, answered.reason);
    } else if (type === 'close') {
      const closed = link.receiveClose(bytes);
      // The relay ended the session (idle, shutdown, renew): seek a new one; the line session decides whether
      // to join again (it does after a restart, as it would over v1). After a /kill it does not come back.
      if (closed.ok) this.restart(now, out, closed.value.reason !== CLOSE_REASONS.killed);
      else count(this.drops.session, closed.reason);
    } else count(this.drops.session, 'type');
  }

  /** The session is gone: forget it, and (unless the relay closed it on purpose) seek a new one. */
  private restart(now: number, out: V2ClientOutput, reconnect: boolean): void {
    // Lines the old session had not confirmed go with it: say so, the new session starts numbering at 0.
    for (const seq of this.link?.channel.unconfirmed() ?? []) out.events.push({ type: 'failed', seq });
    this.link = null;
    this.terms = null;
    this.liveness = null;
    this.attempt = new HelloAttempt(this.options.random);
    out.events.push({ type: 'session-lost', reconnecting: reconnect });
    if (!reconnect) {
      this.currentState = 'closed';
      return;
    }
    this.currentState = 'probing';
    this.sendHello(now, out);
  }

  private report(events: ChannelEvents, out: V2ClientOutput): void {
    if (events.delivered.length > 0) out.events.push({ type: 'delivered', items: events.delivered });
    for (const acked of events.acked) out.events.push({ type: 'acked', seq: acked.seq, rttMs: acked.rttMs });
    for (const seq of events.failed) out.events.push({ type: 'failed', seq });
  }

  private drain(now: number, out: V2ClientOutput): void {
    const link = this.link;
    if (link === null) return;
    const before = elicitingSent(link.channel.stats);
    const datagrams = link.drain(now);
    if (datagrams.length > 0) this.lastSentAt = now;
    if (elicitingSent(link.channel.stats) > before) this.liveness?.elicited(now);
    out.datagrams.push(...datagrams);
    if (link.exhausted) {
      // Our packet numbers are used up: the last one ends the session, and a new handshake gets new keys.
      out.datagrams.push(link.sealClose(CLOSE_REASONS.renew));
      this.restart(now, out, true);
    }
  }
}

/** DATA sent with a frame in it (a line, a PING or a SKIP): each one the relay must acknowledge. */
function elicitingSent(stats: ChannelStats): number {
  return stats.dataSent - stats.ackOnlySent;
}

function count(counters: Record<string, number>, reason: string): void {
  counters[reason] = (counters[reason] ?? 0) + 1;
}

function output(): V2ClientOutput {
  return { datagrams: [], events: [] };
}
