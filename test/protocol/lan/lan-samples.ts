/** Fixed LAN datagrams and a fixed group key for the wire tests. */
import type { LanDatagram } from '../../../src/protocol/lan/datagram.ts';
import { GroupKey } from '../../../src/protocol/lan/group-key.ts';

/** 2026-01-01T00:00:00Z in ms. */
export const CLAIMED_AT = 1_767_225_600_000;

export const SENDER = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);

/** Fixed keys (not derived: these tests are about the format, group-key.test.ts about derivation). */
export const KEY = new GroupKey(new Uint8Array(32).fill(0x42));
export const OTHER_KEY = new GroupKey(new Uint8Array(32).fill(0x43));

export function sample(fields: Partial<LanDatagram> = {}): LanDatagram {
  return {
    senderId: SENDER,
    sequence: 1,
    kind: 'line',
    claimedAt: CLAIMED_AT,
    lineNumber: 0,
    nick: 'bob',
    text: 'hi',
    ...fields,
  };
}

export const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
