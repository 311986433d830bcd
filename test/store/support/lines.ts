/** Lines and records to feed a store in tests. */
import { lookalikeKey } from '../../../src/protocol/lookalike.ts';
import type { AccountRecord } from '../../../src/relay/accounts.ts';
import type { KeptRoom, PrivateLineInput, RoomLineInput } from '../../../src/relay/store.ts';

export function roomLine(
  roomName: string,
  text: string,
  at = 1_800_000_000_000,
  nick = 'alice',
): RoomLineInput {
  return { roomKey: lookalikeKey(roomName), roomName, at, kind: 'say', nick, text };
}

export function privateLine(
  from: string,
  to: string,
  text: string,
  at = 1_800_000_000_000,
): PrivateLineInput {
  return {
    fromKey: lookalikeKey(from),
    fromNick: from,
    toKey: lookalikeKey(to),
    toNick: to,
    at,
    kind: 'say',
    text,
  };
}

export function account(nick: string, serverOperator = false, fill = 2): AccountRecord {
  return {
    nick,
    key: lookalikeKey(nick),
    serverOperator,
    credential: {
      algorithm: 'scrypt',
      salt: Buffer.alloc(16, 1).toString('base64'),
      hash: Buffer.alloc(32, fill).toString('base64'),
      N: 16384,
      r: 8,
      p: 1,
    },
  };
}

/** A room with every kind of kept state set. */
export function busyRoom(name = '#ops'): KeptRoom {
  return {
    key: lookalikeKey(name),
    name,
    topic: 'deploys at noon',
    inviteOnly: true,
    invited: [lookalikeKey('carol'), lookalikeKey('dave')],
    bans: [
      { account: lookalikeKey('mallory'), host: null, nickKey: lookalikeKey('mallory'), nick: 'mallory' },
      { account: null, host: '10.0.0.9', nickKey: lookalikeKey('eve'), nick: 'eve' },
    ],
    operators: [
      { account: lookalikeKey('alice'), nickKey: lookalikeKey('alice'), host: null },
      { account: null, nickKey: lookalikeKey('bob'), host: '127.0.0.1' },
    ],
  };
}
