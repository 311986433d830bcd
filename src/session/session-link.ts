/**
 * One established v2 session, one side: its keys, its packet numbers, its replay window and its reliable
 * channel (docs/PROTOCOL-v2.md, "Keys and tags", "Packet numbers and replay"). Both the relay (one link
 * per client) and the client use it; the role decides which direction's key seals and which opens.
 * Sans-I/O: it turns channel output into sealed datagrams and verified datagrams into channel input.
 */
import type { Frame } from '../protocol/v2/frames.ts';
import type { SessionKeys } from '../protocol/v2/keys.ts';
import { ReplayWindow } from '../protocol/v2/replay-window.ts';
import type { ChallengePacket, ClosePacket, DecodeFailureReason } from '../protocol/v2/wire.ts';
import {
  openChallenge,
  openClose,
  openData,
  openResponse,
  sealChallenge,
  sealClose,
  sealData,
  sealResponse,
} from '../protocol/v2/wire.ts';
import { type ChannelEvents, ReliableChannel } from './reliable/channel.ts';
import type { ReliableOptions } from './reliable/options.ts';

export type Role = 'client' | 'relay';

export type Opened<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: DecodeFailureReason | 'replay' | 'too-many-lines' };

/**
 * Packet numbers are u32 and never wrap (a number reused under one key would let a replay through): the
 * last one, 2^32 - 1, is kept for the CLOSE 4 (renew) that ends the session.
 */
export const LAST_PACKET_NUMBER = 0xffff_ffff;

export class SessionLink {
  readonly channel: ReliableChannel;
  private readonly replay = new ReplayWindow();
  private nextPacketNumber: number;
  private readonly sealKey: Uint8Array;
  private readonly openKey: Uint8Array;

  constructor(
    readonly role: Role,
    readonly sessionId: Uint8Array,
    keys: SessionKeys,
    channelOptions: Partial<ReliableOptions> = {},
    /** Where this side's packet numbers start: 0 on the wire; later only to test the end of the numbers. */
    firstPacketNumber = 0,
  ) {
    this.nextPacketNumber = firstPacketNumber;
    this.channel = new ReliableChannel(channelOptions);
    this.sealKey = role === 'client' ? keys.clientToRelay : keys.relayToClient;
    this.openKey = role === 'client' ? keys.relayToClient : keys.clientToRelay;
  }

  /**
   * A DATA from the peer: verified, checked against replay, fed to the channel. One with more than
   * `maxLines` LINE frames is dropped whole (its number stays spent), so none of its lines is acknowledged.
   */
  receiveData(now: number, bytes: Uint8Array, maxLines = Number.POSITIVE_INFINITY): Opened<ChannelEvents> {
    const opened = openData(bytes, this.openKey);
    if (!opened.ok) return opened;
    if (!this.replay.accept(opened.packet.packetNumber)) return { ok: false, reason: 'replay' };
    const frames = opened.packet.frames;
    if (countLines(frames) > maxLines) return { ok: false, reason: 'too-many-lines' };
    return { ok: true, value: this.channel.receive(now, opened.packet.ack, frames) };
  }

  /** Whether this side's packet numbers are used up but for the last, which only a CLOSE 4 may take. */
  get exhausted(): boolean {
    return this.nextPacketNumber >= LAST_PACKET_NUMBER;
  }

  /** A CLOSE from the peer, verified and fresh. */
  receiveClose(bytes: Uint8Array): Opened<ClosePacket> {
    return this.fresh(openClose(bytes, this.openKey));
  }

  /** Client side: a CHALLENGE from the relay (sealed with relay->client), answered with a RESPONSE. */
  answerChallenge(bytes: Uint8Array): Opened<Uint8Array> {
    const opened = this.fresh<ChallengePacket>(openChallenge(bytes, this.openKey));
    if (!opened.ok) return opened;
    const response = sealResponse(
      { sessionId: this.sessionId, packetNumber: this.takePacketNumber(), challenge: opened.value.challenge },
      this.sealKey,
    );
    return { ok: true, value: response };
  }

  /** Relay side: a RESPONSE from the client; returns the challenge it answers. */
  receiveResponse(bytes: Uint8Array): Opened<Uint8Array> {
    const opened = this.fresh(openResponse(bytes, this.openKey));
    return opened.ok ? { ok: true, value: opened.value.challenge } : opened;
  }

  /** Relay side: a CHALLENGE for a new path. */
  sealChallenge(challenge: Uint8Array): Uint8Array {
    return sealChallenge(
      { sessionId: this.sessionId, packetNumber: this.takePacketNumber(), challenge },
      this.sealKey,
    );
  }

  sealClose(reason: number): Uint8Array {
    return sealClose(
      { sessionId: this.sessionId, packetNumber: this.takePacketNumber(), reason },
      this.sealKey,
    );
  }

  /** Every DATA the channel wants sent now, sealed; none once the numbers are used up (see `exhausted`). */
  drain(now: number): Uint8Array[] {
    const datagrams: Uint8Array[] = [];
    // Bounded: each poll sends at least one frame or the due ack, and the channel's windows are finite.
    for (let i = 0; i < 1_000 && !this.exhausted; i++) {
      const next = this.channel.poll(now);
      if (next === null) break;
      datagrams.push(
        sealData(
          {
            sessionId: this.sessionId,
            packetNumber: this.takePacketNumber(),
            ack: next.ack,
            frames: next.frames,
          },
          this.sealKey,
        ),
      );
    }
    return datagrams;
  }

  private fresh<T extends { readonly packetNumber: number }>(
    opened:
      | { readonly ok: true; readonly packet: T }
      | { readonly ok: false; readonly reason: DecodeFailureReason },
  ): Opened<T> {
    if (!opened.ok) return opened;
    if (!this.replay.accept(opened.packet.packetNumber)) return { ok: false, reason: 'replay' };
    return { ok: true, value: opened.packet };
  }

  /** The next number; past the last one (a caller that ignored `exhausted`) it is a bug, not the network's. */
  private takePacketNumber(): number {
    if (this.nextPacketNumber > LAST_PACKET_NUMBER) throw new RangeError('packet numbers used up');
    return this.nextPacketNumber++;
  }
}

function countLines(frames: readonly Frame[]): number {
  let lines = 0;
  for (const frame of frames) if (frame.type === 'line') lines++;
  return lines;
}
