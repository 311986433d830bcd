/**
 * What the store reads once when it opens and then keeps in memory: the accounts, every kept room, and
 * the history counters. Rooms and accounts are few; the history itself stays in the file.
 */
import type { AccountRecord } from '../../relay/accounts.ts';
import type { RoomBan } from '../../relay/session.ts';
import type { KeptOperator, KeptRoom } from '../../relay/store.ts';
import { formatAccounts, parseAccounts } from '../account-file.ts';
import { StoreError } from '../store-error.ts';
import { ConversationTable, type PairConversation, pairKey, type RoomConversation } from './conversations.ts';
import { keptName, keptTopic } from './kept-text.ts';
import type { SqliteDatabase } from './open-database.ts';

export interface Snapshot {
  readonly accounts: Map<string, AccountRecord>;
  readonly rooms: Map<string, KeptRoom>;
  readonly roomConversations: ConversationTable<RoomConversation>;
  readonly pairConversations: ConversationTable<PairConversation>;
}

interface AccountRow {
  readonly key: string;
  readonly nick: string;
  readonly serverOperator: number;
  readonly salt: string;
  readonly hash: string;
  readonly n: number;
  readonly r: number;
  readonly p: number;
}

interface RoomRow {
  readonly key: string;
  readonly name: string;
  readonly topic: string;
  readonly inviteOnly: number;
}

export function readSnapshot(db: SqliteDatabase, path: string): Snapshot {
  return {
    accounts: checkedAccounts(path, readAccounts(db)),
    rooms: readRooms(db),
    roomConversations: readRoomConversations(db),
    pairConversations: readPairConversations(db),
  };
}

function readAccounts(db: SqliteDatabase): Map<string, AccountRecord> {
  const rows = db
    .prepare<[], AccountRow>(
      `SELECT key, nick, server_operator AS serverOperator, salt, hash, n, r, p FROM accounts
       WHERE algorithm = 'scrypt'`,
    )
    .all();
  const accounts = new Map<string, AccountRecord>();
  for (const row of rows)
    accounts.set(row.key, {
      nick: row.nick,
      key: row.key,
      serverOperator: row.serverOperator !== 0,
      credential: { algorithm: 'scrypt', salt: row.salt, hash: row.hash, N: row.n, r: row.r, p: row.p },
    });
  return accounts;
}

/**
 * The accounts as read from the file, checked as strictly as an accounts file (account-file.ts): a row
 * edited by hand must not make each login cost a gigabyte of scrypt.
 */
function checkedAccounts(path: string, accounts: Map<string, AccountRecord>): Map<string, AccountRecord> {
  try {
    parseAccounts(formatAccounts([...accounts.values()]));
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    throw new StoreError('corrupt', path, `its accounts are invalid: ${problem}`);
  }
  return accounts;
}

function readRooms(db: SqliteDatabase): Map<string, KeptRoom> {
  const invited = groupByRoom(
    db
      .prepare<[], { room: string; nickKey: string }>('SELECT room, nick_key AS nickKey FROM room_invites')
      .all(),
    (row) => row.nickKey,
  );
  const bans = groupByRoom(
    db
      .prepare<[], RoomBan & { room: string }>(
        'SELECT room, account, host, nick_key AS nickKey, nick FROM room_bans ORDER BY room, position',
      )
      .all(),
    (row): RoomBan => ({
      account: row.account,
      host: row.host,
      nickKey: row.nickKey,
      nick: keptName(row.nick),
    }),
  );
  const operators = groupByRoom(
    db
      .prepare<[], KeptOperator & { room: string }>(
        'SELECT room, account, nick_key AS nickKey, host FROM room_operators ORDER BY room, position',
      )
      .all(),
    (row): KeptOperator => ({ account: row.account, nickKey: row.nickKey, host: row.host }),
  );
  const rooms = new Map<string, KeptRoom>();
  for (const row of db
    .prepare<[], RoomRow>('SELECT key, name, topic, invite_only AS inviteOnly FROM rooms')
    .all())
    rooms.set(row.key, {
      key: row.key,
      name: keptName(row.name),
      topic: keptTopic(row.topic),
      inviteOnly: row.inviteOnly !== 0,
      invited: invited.get(row.key) ?? [],
      bans: bans.get(row.key) ?? [],
      operators: operators.get(row.key) ?? [],
    });
  return rooms;
}

function readRoomConversations(db: SqliteDatabase): ConversationTable<RoomConversation> {
  const table = new ConversationTable<RoomConversation>();
  const rows = db
    .prepare<[], RoomConversation>(
      'SELECT ref, key, last_id AS lastId, line_count AS count FROM history_rooms',
    )
    .all();
  for (const row of rows) table.add(row.key, { ...row });
  return table;
}

function readPairConversations(db: SqliteDatabase): ConversationTable<PairConversation> {
  const table = new ConversationTable<PairConversation>();
  const rows = db
    .prepare<[], PairConversation>(
      `SELECT ref, low_key AS lowKey, high_key AS highKey, last_id AS lastId, line_count AS count
       FROM private_pairs`,
    )
    .all();
  for (const row of rows) table.add(pairKey(row), { ...row });
  return table;
}

function groupByRoom<Row extends { room: string }, Value>(
  rows: readonly Row[],
  value: (row: Row) => Value,
): Map<string, Value[]> {
  const byRoom = new Map<string, Value[]>();
  for (const row of rows) {
    let values = byRoom.get(row.room);
    if (values === undefined) {
      values = [];
      byRoom.set(row.room, values);
    }
    values.push(value(row));
  }
  return byRoom;
}
