/**
 * The changes of an in-process cluster, one function per kind, with the same rules as the Redis scripts
 * (redis/scripts/): a line takes the room's next id; a claim wins unless a live relay holds the key; a
 * join needs the nick claimed by the joining relay; a released nick leaves its rooms; a leave of an absent
 * member says nothing; a room event changes the room's kept state (room-state-rules.ts) in the same step;
 * the first member of a room with no member anywhere becomes its operator when the join asks.
 */
import type { ClusterMember } from '../../relay/cluster-bus.ts';
import type { BusOp, OpResult } from '../backend.ts';
import { INBOX_STREAM_CAP, ROOM_STREAM_CAP } from '../limits.ts';
import type { MemoryState } from './memory-state.ts';

export interface MemoryCaps {
  readonly events: number;
  readonly roomLines: number;
}

export function applyOp(
  state: MemoryState,
  node: string,
  op: BusOp,
  now: number,
  caps: MemoryCaps,
): OpResult {
  switch (op.type) {
    case 'line': {
      const room = state.room(op.line.roomKey);
      room.seq += 1;
      const line = { ...op.line, id: room.seq };
      room.lines.push(line);
      if (room.lines.length > (caps.roomLines || ROOM_STREAM_CAP)) room.lines.shift();
      state.append({ type: 'line', node, line }, caps.events);
      return room.seq;
    }
    case 'direct':
      return direct(state, node, op.line, now);
    case 'room':
      state.roomStates.change(op.roomKey, op.change);
      state.append({ type: 'room', node, roomKey: op.roomKey, by: op.by, change: op.change }, caps.events);
      return 0;
    case 'claim':
      return op.takeover === true
        ? takeOver(state, node, op.nickKey, op.nick, now, caps.events)
        : claim(state, node, op.nickKey, op.nick, now);
    case 'release':
      release(state, node, op.nickKey, caps.events);
      return 0;
    case 'join':
      return join(state, node, op, caps.events);
    case 'leave': {
      const room = state.rooms.get(op.roomKey);
      const member = room?.members.get(op.nickKey);
      if (room === undefined || member === undefined || member.node !== node) return 0;
      room.members.delete(op.nickKey);
      state.roomStates.left(op.roomKey, op.nickKey);
      state.nodes.get(node)?.presence.delete(`${op.roomKey} ${op.nickKey}`);
      state.append(
        { type: 'presence', node, roomKey: op.roomKey, member, joined: false, reason: op.reason },
        caps.events,
      );
      return 0;
    }
  }
}

function direct(
  state: MemoryState,
  node: string,
  line: Extract<BusOp, { type: 'direct' }>['line'],
  now: number,
): string {
  const owner = state.nicks.get(line.toKey);
  if (owner === undefined || !state.alive(owner.node, now)) return '';
  const target = state.nodes.get(owner.node);
  if (target === undefined) return '';
  target.inboxSeq += 1;
  target.inbox.push({ id: `${target.inboxSeq}-0`, number: 0, event: { type: 'direct', node, line } });
  if (target.inbox.length > INBOX_STREAM_CAP) target.inbox.shift();
  return owner.node;
}

function claim(state: MemoryState, node: string, nickKey: string, nick: string, now: number): string {
  const owner = state.nicks.get(nickKey);
  if (owner !== undefined && owner.node !== node && state.alive(owner.node, now)) return owner.node;
  if (owner !== undefined && owner.node !== node) state.nodes.get(owner.node)?.nicks.delete(nickKey);
  state.nicks.set(nickKey, { node, nick });
  state.nodes.get(node)?.nicks.add(nickKey);
  return '';
}

/** A proven resumption takes the nick even from a live holder, who is told (`nick-taken`). */
function takeOver(
  state: MemoryState,
  node: string,
  nickKey: string,
  nick: string,
  now: number,
  cap: number,
): string {
  const owner = state.nicks.get(nickKey);
  const from = owner !== undefined && owner.node !== node && state.alive(owner.node, now) ? owner.node : '';
  if (owner !== undefined && owner.node !== node) state.nodes.get(owner.node)?.nicks.delete(nickKey);
  state.nicks.set(nickKey, { node, nick });
  state.nodes.get(node)?.nicks.add(nickKey);
  if (from !== '') state.append({ type: 'nick-taken', node, nickKey, nick, from }, cap);
  return '';
}

/** A released nick leaves every room it was in (as a quit): a member always holds its nick. */
function release(state: MemoryState, node: string, nickKey: string, cap: number): void {
  if (state.nicks.get(nickKey)?.node !== node) return;
  state.nicks.delete(nickKey);
  const holder = state.nodes.get(node);
  holder?.nicks.delete(nickKey);
  for (const entry of [...(holder?.presence ?? [])]) {
    const [roomKey = '', memberKey = ''] = entry.split(' ');
    if (memberKey !== nickKey) continue;
    holder?.presence.delete(entry);
    const room = state.rooms.get(roomKey);
    const member = room?.members.get(nickKey);
    if (room === undefined || member === undefined || member.node !== node) continue;
    room.members.delete(nickKey);
    state.roomStates.left(roomKey, nickKey);
    state.append({ type: 'presence', node, roomKey, member, joined: false, reason: 'quit' }, cap);
  }
}

function join(state: MemoryState, node: string, op: Extract<BusOp, { type: 'join' }>, cap: number): OpResult {
  if (state.nicks.get(op.nickKey)?.node !== node) return 'not-claimed';
  const room = state.room(op.roomKey);
  const member: ClusterMember = { nickKey: op.nickKey, nick: op.nick, node };
  const known = room.members.get(op.nickKey);
  const first = op.firstOperator === true && room.members.size === 0;
  room.members.set(op.nickKey, member);
  state.nodes.get(node)?.presence.add(`${op.roomKey} ${op.nickKey}`);
  if (known?.node !== node) {
    state.append(
      { type: 'presence', node, roomKey: op.roomKey, member, joined: true, reason: op.reason },
      cap,
    );
  }
  if (first) {
    state.roomStates.firstOperator(op.roomKey, op.nickKey, op.nick);
    const change = { type: 'operator', nickKey: op.nickKey, nick: op.nick, on: true } as const;
    state.append({ type: 'room', node, roomKey: op.roomKey, by: op.nick, change }, cap);
  }
  return 0;
}
