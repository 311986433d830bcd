/**
 * How the line session's datagrams reach the relay: v1 (each line is a datagram, as the seed's client
 * sends it) or v2 (lines ride a V2ClientConnection: validated, authenticated, reliable and ordered;
 * docs/PROTOCOL-v2.md). In `auto` mode the carrier probes for v2 first and falls back to v1 when the relay
 * does not answer (the seed's relay.py drops the probe silently); lines the session sends meanwhile wait.
 * Sans-I/O: the ChatClient binding moves its datagrams and time.
 */
import { decodeLenient, encodeLine } from '../protocol/codec.ts';
import { MAX_WAITING_LINES } from '../protocol/limits.ts';
import type { RandomSource } from '../protocol/v2/crypto.ts';
import { isV2 } from '../protocol/v2/wire-common.ts';
import {
  V2ClientConnection,
  type V2ClientEvent,
  type V2ClientOptions,
  type V2ClientOutput,
  type V2PathStats,
  type V2Refusal,
} from '../session/client-connection.ts';

export type ProtocolMode = 'auto' | 'v1' | 'v2';

export type CarrierEvent =
  /** Which protocol the client speaks with this relay (once known). */
  | { readonly type: 'protocol'; readonly protocol: 'v1' | 'v2' }
  /** v2 only: the relay acknowledged our line `id` (see `send`). */
  | { readonly type: 'acked'; readonly id: number }
  /** v2 only: our line `id` was given up after every retransmission. */
  | { readonly type: 'failed'; readonly id: number }
  /** v2 only: the relay gave up on `count` of its lines to us. */
  | { readonly type: 'gap'; readonly count: number }
  /** v2 only: the relay lost our session (restart); a new one is being set up. */
  | { readonly type: 'reconnecting' }
  /** v2 only: a new session replaced the lost one; the line session must join again. */
  | { readonly type: 'resumed' }
  /** `v2` was required and the relay does not speak it. */
  | { readonly type: 'no-v2' }
  /**
   * v2 only: the relay proved this identity (its raw Ed25519 key) in the handshake; `firstContact` when
   * no pin was given for it (the caller pins it and says so).
   */
  | { readonly type: 'relay-identity'; readonly identityKey: Uint8Array; readonly firstContact: boolean }
  /**
   * The relay refused protected v2 (`wire2-only`: it speaks only the retired wire version 2; `full`: it has
   * no room for another session) or did not answer it (`silent`: the seed's relay), and the client speaks
   * v1 to it, which is neither encrypted nor authenticated.
   */
  | { readonly type: 'v2-refused'; readonly reason: 'silent' | 'wire2-only' | 'full' }
  /** v2 only: a pinned relay gives no session yet (no answer, or full); the client keeps trying. */
  | { readonly type: 'v2-waiting'; readonly reason: 'unanswered' | 'full'; readonly retryMs: number }
  /** v2 only: the client stopped before sending any line (a changed identity, a failed proof, a wire-2 relay). */
  | { readonly type: 'relay-refused'; readonly refusal: V2Refusal }
  /** v2 only: the relay has acknowledged nothing we sent for the stall time (it may be gone). */
  | { readonly type: 'stalled'; readonly silentMs: number }
  /** v2 only: the relay answered again after `stalled`. */
  | { readonly type: 'unstalled'; readonly silentMs: number };

/** The v2 session's timers and windows a client may tune (every field defaults to protocol/v2/limits.ts). */
export type V2ClientTuning = Omit<V2ClientOptions, 'random'>;

export interface CarrierOutput {
  /** Datagrams for the relay. */
  readonly toRelay: Uint8Array[];
  /** Lines from the relay, as v1 datagrams, for ClientSession.handle. */
  readonly toSession: Uint8Array[];
  readonly events: CarrierEvent[];
}

export interface LineCarrierOptions {
  readonly mode: ProtocolMode;
  readonly random: RandomSource;
  readonly v2?: V2ClientTuning;
  /** The first session's epoch: a carrier that replaces another (a move) goes on from its `nextEpoch`. */
  readonly epoch?: number;
}

export class LineCarrier {
  private protocol: 'probing' | 'v1' | 'v2';
  private readonly connection: V2ClientConnection | null;
  /** Lines the session sent before the protocol was known. */
  private waiting: Uint8Array[] = [];
  private lostSession = false;
  /**
   * Each v2 session numbers its lines from 0; ids given out are `epoch * EPOCH_SPAN + seq`, so a line of a
   * new session is never taken for one of the session before.
   */
  private epoch = 0;

  constructor(private readonly options: LineCarrierOptions) {
    this.epoch = options.epoch ?? 0;
    this.protocol = options.mode === 'v1' ? 'v1' : 'probing';
    this.connection =
      options.mode === 'v1' ? null : new V2ClientConnection({ ...options.v2, random: options.random });
  }

  /** The epoch a carrier replacing this one starts at, so line ids stay unique across a move. */
  get nextEpoch(): number {
    return this.epoch + 1;
  }

  /** 'probing' until the relay's answer (or silence) decides. */
  get current(): 'probing' | 'v1' | 'v2' {
    return this.protocol;
  }

  get rttMs(): number | null {
    return this.connection?.rttMs ?? null;
  }

  /** v2: the relay's name for the session (what a resumption proof signs); null otherwise. */
  get sessionKey(): string | null {
    return this.protocol === 'v2' && this.connection?.state === 'established'
      ? this.connection.sessionKey
      : null;
  }

  /** v2: true while the relay acknowledges nothing we send. */
  get stalled(): boolean {
    return this.protocol === 'v2' && (this.connection?.stalled ?? false);
  }

  /** v2: since the session last heard from the relay (acks included); 0 otherwise. */
  silentMs(now: number): number {
    return this.protocol === 'v2' ? (this.connection?.silentMs(now) ?? 0) : 0;
  }

  /** v2: what the reliable channel measured of the path; null on v1 or without a session. */
  pathStats(): V2PathStats | null {
    return this.protocol === 'v2' ? (this.connection?.pathStats() ?? null) : null;
  }

  start(now: number): CarrierOutput {
    const out = output();
    if (this.connection !== null) this.absorb(now, this.connection.start(now), out);
    return out;
  }

  /**
   * The session's datagrams (v1 lines). Returns, per datagram, the id the relay's acknowledgement will
   * carry (v2), or null when there will be none (v1, or still probing).
   */
  send(now: number, datagrams: readonly Uint8Array[]): { out: CarrierOutput; ids: (number | null)[] } {
    const out = output();
    if (this.protocol === 'probing' || (this.protocol === 'v2' && this.connection?.state !== 'established')) {
      // Until a (new) session is up, lines wait; the oldest go first if too many pile up.
      this.waiting.push(...datagrams);
      if (this.waiting.length > MAX_WAITING_LINES) {
        this.waiting.splice(0, this.waiting.length - MAX_WAITING_LINES);
      }
      return { out, ids: datagrams.map(() => null) };
    }
    if (this.protocol === 'v1' || this.connection === null) {
      out.toRelay.push(...datagrams);
      return { out, ids: datagrams.map(() => null) };
    }
    const ids = datagrams.flatMap((datagram) => this.sendV2(now, datagram, out));
    return { out, ids };
  }

  receive(now: number, bytes: Uint8Array): CarrierOutput {
    const out = output();
    if (isV2(bytes)) {
      if (this.connection !== null) this.absorb(now, this.connection.handle(now, bytes), out);
      return out;
    }
    // A text datagram while probing: only a v1 relay sends one, so stop waiting for v2.
    if (this.protocol === 'probing' && this.options.mode === 'auto') this.decided(now, 'v1', out);
    if (this.protocol === 'v1') out.toSession.push(bytes);
    return out;
  }

  tick(now: number): CarrierOutput {
    const out = output();
    if (this.connection !== null && this.protocol !== 'v1') this.absorb(now, this.connection.tick(now), out);
    return out;
  }

  nextTimeout(): number | null {
    return this.connection !== null && this.protocol !== 'v1' ? this.connection.nextTimeout() : null;
  }

  /** After the session's /leave: end the v2 session too. */
  close(now: number): CarrierOutput {
    const out = output();
    if (this.connection !== null && this.protocol === 'v2')
      out.toRelay.push(...this.connection.close(now).datagrams);
    return out;
  }

  private sendV2(now: number, datagram: Uint8Array, out: CarrierOutput): (number | null)[] {
    const connection = this.connection;
    if (connection === null) return [];
    return decodeLenient(datagram).map((line) => {
      const sent = connection.send(now, line);
      this.absorb(now, sent.out, out);
      return sent.result.ok ? this.idOf(sent.result.seq) : null;
    });
  }

  private idOf(seq: number): number {
    return this.epoch * EPOCH_SPAN + seq;
  }

  private absorb(now: number, v2: V2ClientOutput, out: CarrierOutput): void {
    out.toRelay.push(...v2.datagrams);
    for (const event of v2.events) this.onV2Event(now, event, out);
  }

  private onV2Event(now: number, event: V2ClientEvent, out: CarrierOutput): void {
    switch (event.type) {
      case 'established':
        if (this.lostSession) out.events.push({ type: 'resumed' });
        this.lostSession = false;
        this.decided(now, 'v2', out);
        out.events.push({
          type: 'relay-identity',
          identityKey: event.identityKey,
          firstContact: event.firstContact,
        });
        break;
      case 'fallback':
        if (this.options.mode === 'v2') {
          out.events.push({ type: 'no-v2' });
          break;
        }
        // Said before the first v1 line goes: the user learns the session is unprotected, and why.
        out.events.push({ type: 'v2-refused', reason: event.reason });
        this.decided(now, 'v1', out);
        break;
      case 'refused':
        out.events.push({ type: 'relay-refused', refusal: event.refusal });
        break;
      case 'waiting':
        out.events.push({ type: 'v2-waiting', reason: event.reason, retryMs: event.retryMs });
        break;
      case 'session-lost':
        this.epoch++;
        this.lostSession = event.reconnecting;
        if (event.reconnecting) out.events.push({ type: 'reconnecting' });
        break;
      case 'delivered':
        for (const item of event.items) {
          if (item.type === 'line') out.toSession.push(encodeLine(item.text));
          else out.events.push({ type: 'gap', count: item.count });
        }
        break;
      case 'acked':
        out.events.push({ type: 'acked', id: this.idOf(event.seq) });
        break;
      case 'failed':
        out.events.push({ type: 'failed', id: this.idOf(event.seq) });
        break;
      case 'stalled':
      case 'unstalled':
        out.events.push(event);
        break;
    }
  }

  /** The protocol is known: report it and send what waited. */
  private decided(now: number, protocol: 'v1' | 'v2', out: CarrierOutput): void {
    const first = this.protocol === 'probing';
    this.protocol = protocol;
    if (first) out.events.push({ type: 'protocol', protocol });
    const waiting = this.waiting;
    this.waiting = [];
    const sent = this.send(now, waiting);
    out.toRelay.push(...sent.out.toRelay);
    out.events.push(...sent.out.events);
  }
}

/** Lines per session before ids of the next session begin (a session ends long before 2^32 lines). */
const EPOCH_SPAN = 2 ** 32;

function output(): CarrierOutput {
  return { toRelay: [], toSession: [], events: [] };
}
