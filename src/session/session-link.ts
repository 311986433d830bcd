/**
 * One established v2 session, one side, in wire version 3 (docs/PROTOCOL-v2.md, "Packet protection"): its
 * direction keys, its one packet-number counter, its replay window and its reliable channel. Both the relay
 * (one link per client) and the client use it; the role decides which direction's keys seal and which
 * open. Sans-I/O: it turns channel output into sealed datagrams and opened datagrams into channel input.
 *
 * A received datagram is checked in the spec's order: header and size, the AEAD (header as associated data),
 * then the replay window (updated only once it opened, so a forgery cannot move it), then the payload.
 */
import type { AckInfo, Frame } from '../protocol/v2/frames.ts';
import type { DirectionKeys, SessionSecrets } from '../protocol/v2/key-schedule.ts';
import { openPacket, readProtectedHeader, sealPacket } from '../protocol/v2/packet-protection.ts';
import {
  decodeClosePayload,
  decodeDataPayload,
  decodeProbePayload,
  encodeClosePayload,
  encodeDataPayload,
  encodeProbePayload,
} from '../protocol/v2/protected-bodies.ts';
import { MAX_PACKET_NUMBER } from '../protocol/v2/protected-limits.ts';
import type { ProtectedFailureReason, ProtectedType } from '../protocol/v2/protected-packets.ts';
import { ReplayWindow } from '../protocol/v2/replay-window.ts';
import { type ChannelEvents, ReliableChannel } from './reliable/channel.ts';
import type { ReliableOptions } from './reliable/options.ts';

export type Role = 'client' | 'relay';

/** Why a datagram of the session was dropped: the spec's counter names (section 14). */
export type LinkDropReason = ProtectedFailureReason | 'replay' | 'too-many-lines';

export type Opened<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: LinkDropReason };

/** What a DATA carried, once opened: the channel's events, and the payload for the trace. */
export interface ReceivedData {
  readonly events: ChannelEvents;
  readonly frames: readonly Frame[];
}

/**
 * Packet numbers are u32 and never wrap (a number reused under one key would reuse a nonce): the last one,
 * 2^32 - 1, is kept for the CLOSE 4 (renew) that ends the session.
 */
export const LAST_PACKET_NUMBER = MAX_PACKET_NUMBER;

/**
 * What one protected datagram held, told by the endpoint that sealed or opened it: what `--trace` shows of
 * it there (docs/PROTOCOL-v2.md, section 14), and what a test asserts about traffic it cannot read on the
 * wire. Never a key, an iv or a reset token.
 */
export interface ProtectedNote {
  /** `sealed` by this side, or `opened` here (it authenticated and was fresh). */
  readonly direction: 'sealed' | 'opened';
  readonly type: ProtectedType;
  readonly sessionId: Uint8Array;
  readonly packetNumber: number;
  readonly datagram: Uint8Array;
  /** DATA: its ack fields and frames. */
  readonly ack?: AckInfo;
  readonly frames?: readonly Frame[];
  /** CLOSE: its reason. */
  readonly reason?: number;
}

export type ProtectedObserver = (note: ProtectedNote) => void;

type NoteContent = Pick<ProtectedNote, 'ack' | 'frames' | 'reason'>;

export class SessionLink {
  readonly channel: ReliableChannel;
  private readonly replay = new ReplayWindow();
  private nextPacketNumber: number;
  private readonly sealKeys: DirectionKeys;
  private readonly openKeys: DirectionKeys;
  private failedOpens = 0;
  /** Told of every datagram sealed or opened (the trace, tests); null: nobody listens. */
  observer: ProtectedObserver | null = null;

  constructor(
    readonly role: Role,
    readonly sessionId: Uint8Array,
    secrets: SessionSecrets,
    channelOptions: Partial<ReliableOptions> = {},
    /** Where this side's packet numbers start: 0 on the wire; later only to test the end of the numbers. */
    firstPacketNumber = 0,
  ) {
    this.nextPacketNumber = firstPacketNumber;
    this.channel = new ReliableChannel(channelOptions);
    this.sealKeys = role === 'client' ? secrets.clientToRelay : secrets.relayToClient;
    this.openKeys = role === 'client' ? secrets.relayToClient : secrets.clientToRelay;
  }

  /** Datagrams for this session that did not open (forged, altered, truncated, another session's). */
  get authFailures(): number {
    return this.failedOpens;
  }

  /**
   * A DATA from the peer: opened, checked against replay, fed to the channel. One with more than
   * `maxLines` LINE frames is dropped whole (its number stays spent), so none of its lines is acknowledged.
   */
  receiveData(now: number, bytes: Uint8Array, maxLines = Number.POSITIVE_INFINITY): Opened<ReceivedData> {
    const payload = this.open(bytes, 'data');
    if (!payload.ok) return payload;
    const body = decodeDataPayload(payload.value);
    if (!body.ok) return body;
    this.note('opened', bytes, { ack: body.ack, frames: body.frames });
    if (body.lineCount > maxLines) return { ok: false, reason: 'too-many-lines' };
    return {
      ok: true,
      value: { events: this.channel.receive(now, body.ack, body.frames), frames: body.frames },
    };
  }

  /** Whether this side's packet numbers are used up but for the last, which only a CLOSE 4 may take. */
  get exhausted(): boolean {
    return this.nextPacketNumber >= LAST_PACKET_NUMBER;
  }

  /** A CLOSE from the peer, opened and fresh: its reason. */
  receiveClose(bytes: Uint8Array): Opened<{ readonly reason: number }> {
    const payload = this.open(bytes, 'close');
    if (!payload.ok) return payload;
    const body = decodeClosePayload(payload.value);
    if (!body.ok) return body;
    this.note('opened', bytes, { reason: body.reason });
    return { ok: true, value: { reason: body.reason } };
  }

  /** Client side: a CHALLENGE from the relay, answered with a RESPONSE echoing its 8 bytes. */
  answerChallenge(bytes: Uint8Array): Opened<Uint8Array> {
    const challenge = this.receiveProbe(bytes, 'challenge');
    if (!challenge.ok) return challenge;
    return { ok: true, value: this.seal('response', encodeProbePayload(challenge.value), {}) };
  }

  /** Relay side: a RESPONSE from the client; returns the challenge it answers. */
  receiveResponse(bytes: Uint8Array): Opened<Uint8Array> {
    return this.receiveProbe(bytes, 'response');
  }

  /** Relay side: a CHALLENGE for a new path. */
  sealChallenge(challenge: Uint8Array): Uint8Array {
    return this.seal('challenge', encodeProbePayload(challenge), {});
  }

  sealClose(reason: number): Uint8Array {
    return this.seal('close', encodeClosePayload(reason), { reason });
  }

  /** Every DATA the channel wants sent now, sealed; none once the numbers are used up (see `exhausted`). */
  drain(now: number): Uint8Array[] {
    const datagrams: Uint8Array[] = [];
    // Bounded: each poll sends at least one frame or the due ack, and the channel's windows are finite.
    for (let i = 0; i < 1_000 && !this.exhausted; i++) {
      const next = this.channel.poll(now);
      if (next === null) break;
      const content = { ack: next.ack, frames: next.frames };
      datagrams.push(this.seal('data', encodeDataPayload(next.ack, next.frames), content));
    }
    return datagrams;
  }

  private receiveProbe(bytes: Uint8Array, type: 'challenge' | 'response'): Opened<Uint8Array> {
    const payload = this.open(bytes, type);
    if (!payload.ok) return payload;
    const body = decodeProbePayload(payload.value);
    if (!body.ok) return body;
    this.note('opened', bytes, {});
    return { ok: true, value: body.challenge };
  }

  /** Steps 1, 3, 4 and 5 of the spec's receive order (step 2, the session id, is the caller's lookup). */
  private open(bytes: Uint8Array, type: ProtectedType): Opened<Uint8Array> {
    const opened = openPacket(bytes, this.openKeys);
    if (!opened.ok) {
      if (opened.reason === 'auth') this.failedOpens++;
      return opened;
    }
    if (opened.header.type !== type) return { ok: false, reason: 'type' };
    if (!this.replay.accept(opened.header.packetNumber)) return { ok: false, reason: 'replay' };
    return { ok: true, value: opened.payload };
  }

  private seal(type: ProtectedType, payload: Uint8Array, content: NoteContent): Uint8Array {
    const header = { type, sessionId: this.sessionId, packetNumber: this.takePacketNumber() };
    const datagram = sealPacket(header, payload, this.sealKeys);
    this.observer?.({ direction: 'sealed', ...header, datagram, ...content });
    return datagram;
  }

  private note(direction: 'sealed' | 'opened', datagram: Uint8Array, content: NoteContent): void {
    if (this.observer === null) return;
    const header = readProtectedHeader(datagram);
    if (header.ok) this.observer({ direction, ...header.header, datagram, ...content });
  }

  /** The next number; past the last one (a caller that ignored `exhausted`) it is a bug, not the network's. */
  private takePacketNumber(): number {
    if (this.nextPacketNumber > LAST_PACKET_NUMBER) throw new RangeError('packet numbers used up');
    return this.nextPacketNumber++;
  }
}
