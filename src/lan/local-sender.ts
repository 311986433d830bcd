/**
 * Our own stream: the sender id, the next sequence number and line number, and the datagrams built from
 * them. Every datagram takes the next sequence number, so (sender id, sequence) never repeats: it is the
 * message id, and with a group key the AEAD nonce, which must never repeat under one key (RFC 8439
 * section 4). When the u32 runs out, the last number carries a leave, and a new random sender id starts
 * again at 0 with an announcement; the nick keeps its claimed-at time, so it keeps its place in collisions.
 */
import type { LanDatagram, LanEncodeError, LanKind } from '../protocol/lan/datagram.ts';
import type { GroupKey } from '../protocol/lan/group-key.ts';
import { MAX_SEQUENCE, SENDER_ID_BYTES } from '../protocol/lan/limits.ts';
import { type MessageId, senderIdHex } from '../protocol/lan/message-id.ts';
import { encodeLanDatagram } from '../protocol/lan/wire.ts';
import { drawRandom, type RandomSource } from '../protocol/v2/crypto.ts';

export type SendResult =
  | { readonly ok: true; readonly datagrams: Uint8Array[]; readonly id: MessageId }
  | { readonly ok: false; readonly error: LanEncodeError };

export interface LocalSenderOptions {
  readonly nick: string;
  readonly claimedAt: number;
  readonly key: GroupKey | null;
  readonly random: RandomSource;
  /** Where the sequence starts (0; tests start near the end to see the wrap). */
  readonly firstSequence: number;
}

export class LocalSender {
  private id: Uint8Array;
  private idHex: string;
  private sequence: number;
  private lineNumber = 0;

  constructor(private readonly options: LocalSenderOptions) {
    this.id = drawRandom(options.random, SENDER_ID_BYTES);
    this.idHex = senderIdHex(this.id);
    this.sequence = options.firstSequence;
  }

  get senderId(): string {
    return this.idHex;
  }

  get nick(): string {
    return this.options.nick;
  }

  /** The datagrams that send one `kind` (more than one only at a sequence wrap), or why it cannot be sent. */
  send(kind: LanKind, text = ''): SendResult {
    const first = this.build(kind, text);
    if (!first.ok) return first;
    const datagrams: Uint8Array[] = [];
    if (this.sequence >= MAX_SEQUENCE && kind !== 'leave') {
      datagrams.push(...this.rotate());
      return this.commit(kind, text, datagrams);
    }
    datagrams.push(first.bytes);
    return this.advance(kind, datagrams);
  }

  /** The leave under the old id (on the last number), a new id, and its first announcement. */
  private rotate(): Uint8Array[] {
    const leave = this.build('leave', '');
    this.id = drawRandom(this.options.random, SENDER_ID_BYTES);
    this.idHex = senderIdHex(this.id);
    this.sequence = 0;
    this.lineNumber = 0;
    const announce = this.build('announce', '');
    this.sequence = 1;
    return [leave, announce].flatMap((built) => (built.ok ? [built.bytes] : []));
  }

  private commit(kind: LanKind, text: string, datagrams: Uint8Array[]): SendResult {
    const built = this.build(kind, text);
    if (!built.ok) return built;
    datagrams.push(built.bytes);
    return this.advance(kind, datagrams);
  }

  private advance(kind: LanKind, datagrams: Uint8Array[]): SendResult {
    const id: MessageId = { senderId: this.idHex, sequence: this.sequence };
    this.sequence += 1;
    if (kind === 'line' || kind === 'action') this.lineNumber += 1;
    return { ok: true, datagrams, id };
  }

  private build(kind: LanKind, text: string): ReturnType<typeof encodeLanDatagram> {
    const datagram: LanDatagram = {
      senderId: this.id,
      sequence: this.sequence,
      kind,
      claimedAt: this.options.claimedAt,
      lineNumber: this.lineNumber,
      nick: this.options.nick,
      text,
    };
    return encodeLanDatagram(datagram, this.options.key);
  }
}
