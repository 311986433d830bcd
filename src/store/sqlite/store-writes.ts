/**
 * The writes that wait for a group commit, and how one batch of them is written. The caller runs
 * `writeBatch` inside a transaction and, once it has committed, applies the returned line counts to its
 * conversations: memory follows the file only after the file has the lines.
 */
import type { AccountRecord } from '../../relay/accounts.ts';
import type { KeptRoom, PrivateLine, RoomLine } from '../../relay/store.ts';
import type { Conversation, PairConversation, RoomConversation } from './conversations.ts';
import type { Statements } from './statements.ts';

export type StoreWrite =
  | { readonly type: 'room-line'; readonly conversation: RoomConversation; readonly line: RoomLine }
  | { readonly type: 'private-line'; readonly conversation: PairConversation; readonly line: PrivateLine }
  /** A room's kept state, or null to forget it. */
  | { readonly type: 'room'; readonly key: string; readonly room: KeptRoom | null }
  /** An account, or null to remove it. */
  | { readonly type: 'account'; readonly key: string; readonly record: AccountRecord | null };

/** Lines a batch added to each conversation, and the highest id among them. */
export interface Added {
  added: number;
  lastId: number;
}

export interface BatchCounts {
  readonly rooms: Map<RoomConversation, Added>;
  readonly pairs: Map<PairConversation, Added>;
}

export function writeBatch(statements: Statements, writes: readonly StoreWrite[]): BatchCounts {
  const counts: BatchCounts = { rooms: new Map(), pairs: new Map() };
  for (const write of writes) {
    if (write.type === 'room-line') {
      writeRoomLine(statements, write.conversation.ref, write.line);
      count(counts.rooms, write.conversation, write.line.id);
    } else if (write.type === 'private-line') {
      writePrivateLine(statements, write.conversation, write.line);
      count(counts.pairs, write.conversation, write.line.id);
    } else if (write.type === 'room') writeRoom(statements, write.key, write.room);
    else writeAccount(statements, write.key, write.record);
  }
  for (const [room, { added, lastId }] of counts.rooms)
    statements.putRoomConversation.run(room.ref, room.key, lastId, room.count + added);
  for (const [pair, { added, lastId }] of counts.pairs)
    statements.putPairConversation.run(pair.ref, pair.lowKey, pair.highKey, lastId, pair.count + added);
  return counts;
}

/** Once the batch has committed: the conversations' counts follow the file. */
export function applyCounts(counts: BatchCounts): void {
  for (const map of [counts.rooms, counts.pairs] as Map<Conversation, Added>[])
    for (const [conversation, { added }] of map) conversation.count += added;
}

function count<Entry extends Conversation>(counts: Map<Entry, Added>, conversation: Entry, id: number): void {
  const entry = counts.get(conversation);
  if (entry === undefined) counts.set(conversation, { added: 1, lastId: id });
  else {
    entry.added += 1;
    entry.lastId = Math.max(entry.lastId, id);
  }
}

function writeRoomLine(statements: Statements, ref: number, line: RoomLine): void {
  statements.putRoomLine.run(ref, line.id, line.at, line.kind, line.roomName, line.nick, line.text);
}

function writePrivateLine(statements: Statements, pair: PairConversation, line: PrivateLine): void {
  const fromLow = line.fromKey === pair.lowKey ? 1 : 0;
  statements.putPrivateLine.run(
    pair.ref,
    line.id,
    line.at,
    line.kind,
    fromLow,
    line.fromNick,
    line.toNick,
    line.text,
  );
}

/** A room's state is replaced whole: it is small (bans are capped), and saves are rare. */
function writeRoom(statements: Statements, key: string, room: KeptRoom | null): void {
  statements.deleteRoom.run(key);
  statements.deleteInvites.run(key);
  statements.deleteBans.run(key);
  statements.deleteOperators.run(key);
  if (room === null) return;
  statements.putRoom.run(key, room.name, room.topic, room.inviteOnly ? 1 : 0);
  for (const nickKey of room.invited) statements.putInvite.run(key, nickKey);
  room.bans.forEach((ban, position) => {
    statements.putBan.run(key, position, ban.account, ban.host, ban.nickKey, ban.nick);
  });
  room.operators.forEach((operator, position) => {
    statements.putOperator.run(key, position, operator.account, operator.nickKey, operator.host);
  });
}

function writeAccount(statements: Statements, key: string, record: AccountRecord | null): void {
  if (record === null) {
    statements.deleteAccount.run(key);
    return;
  }
  const { credential } = record;
  statements.putAccount.run(
    key,
    record.nick,
    record.serverOperator ? 1 : 0,
    credential.algorithm,
    credential.salt,
    credential.hash,
    credential.N,
    credential.r,
    credential.p,
  );
}
