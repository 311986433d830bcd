/** Shared pieces of the LanPeer tests: peers with reproducible randomness, and a hand-driven remote sender. */

import type { LanEvent, LanOutput } from '../../src/lan/events.ts';
import { LanPeer, type LanPeerOptions } from '../../src/lan/lan-peer.ts';
import type { Address } from '../../src/protocol/address.ts';
import type { LanKind } from '../../src/protocol/lan/datagram.ts';
import type { GroupKey } from '../../src/protocol/lan/group-key.ts';
import { senderIdHex } from '../../src/protocol/lan/message-id.ts';
import { encodeLanDatagram } from '../../src/protocol/lan/wire.ts';
import { deterministicRandom } from '../protocol/v2/deterministic-random.ts';

/** 2026-01-01T00:00:00Z: the wall-clock time claims are dated from. */
export const EPOCH = Date.UTC(2026, 0, 1);

export const LAN_ADDRESS: Address = { host: '192.168.1.20', port: 9999 };

export function peer(nick: string, options: Partial<LanPeerOptions> = {}): LanPeer {
  return new LanPeer({
    nick,
    claimedAt: EPOCH,
    key: null,
    random: deterministicRandom(`peer ${nick}`).random,
    ...options,
  });
}

/** A started peer, with what start() returned. */
export function started(nick: string, now = 0, options: Partial<LanPeerOptions> = {}): [LanPeer, LanOutput] {
  const created = peer(nick, options);
  return [created, created.start(now)];
}

export function eventsOf<T extends LanEvent['type']>(
  output: LanOutput | readonly LanEvent[],
  type: T,
): (LanEvent & { type: T })[] {
  const events = 'events' in output ? output.events : output;
  return events.filter((event): event is LanEvent & { type: T } => event.type === type);
}

export function types(output: LanOutput | readonly LanEvent[]): LanEvent['type'][] {
  return ('events' in output ? output.events : output).map((event) => event.type);
}

/** The texts of the line and action events, in order. */
export function texts(output: LanOutput | readonly LanEvent[]): string[] {
  const events = 'events' in output ? output.events : output;
  return events.flatMap((event) => (event.type === 'line' || event.type === 'action' ? [event.text] : []));
}

/** Runs tick() at every deadline up to `until`, collecting the events. */
export function runUntil(target: LanPeer, until: number): LanEvent[] {
  const events: LanEvent[] = [];
  for (let round = 0, at = target.nextTickAt(); at !== null && at <= until && round < 100_000; round++) {
    events.push(...target.tick(at).events);
    at = target.nextTickAt();
  }
  return events;
}

export interface RemoteOptions {
  readonly nick?: string;
  readonly claimedAt?: number;
  readonly key?: GroupKey | null;
  readonly firstSequence?: number;
}

/**
 * Another peer, played by hand: it numbers its datagrams as LanPeer does, but the test decides which of
 * them arrive and in what order.
 */
export class RemoteSender {
  readonly id: Uint8Array;
  nick: string;
  claimedAt: number;
  private sequence: number;
  private lineNumber = 0;
  private readonly key: GroupKey | null;

  constructor(idByte: number, options: RemoteOptions = {}) {
    this.id = new Uint8Array(8).fill(idByte);
    this.nick = options.nick ?? 'bob';
    this.claimedAt = options.claimedAt ?? EPOCH;
    this.key = options.key ?? null;
    this.sequence = options.firstSequence ?? 0;
  }

  get hex(): string {
    return senderIdHex(this.id);
  }

  line(text: string): Uint8Array {
    return this.next('line', text);
  }

  action(text: string): Uint8Array {
    return this.next('action', text);
  }

  announce(): Uint8Array {
    return this.next('announce', '');
  }

  leave(): Uint8Array {
    return this.next('leave', '');
  }

  private next(kind: LanKind, text: string): Uint8Array {
    const encoded = encodeLanDatagram(
      {
        senderId: this.id,
        sequence: this.sequence,
        kind,
        claimedAt: this.claimedAt,
        lineNumber: this.lineNumber,
        nick: this.nick,
        text,
      },
      this.key,
    );
    if (!encoded.ok) throw new Error(`test datagram does not encode: ${encoded.error}`);
    this.sequence += 1;
    if (kind === 'line' || kind === 'action') this.lineNumber += 1;
    return encoded.bytes;
  }
}
