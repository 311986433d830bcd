/**
 * Reading what the shared streams hold. Nothing read from the back end is trusted: every field is
 * checked for its type and an entry that does not fit is dropped (and counted), never passed on half-read.
 * Lua's JSON encoder writes an empty array as `{}`; both are read as an empty list.
 */
import type {
  ClusterEvent,
  ClusterMember,
  DirectLineInput,
  PresenceReason,
  RoomChange,
} from '../relay/cluster-bus.ts';
import type { LineKind, RoomLine } from '../relay/store.ts';

type Json = Record<string, unknown>;

const REASONS: ReadonlySet<string> = new Set(['join', 'part', 'quit', 'timeout', 'kick']);

function record(value: unknown): Json | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
}

function list(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  const object = record(value);
  return object !== null && Object.keys(object).length === 0 ? [] : null;
}

function str(object: Json, key: string): string | null {
  const value = object[key];
  return typeof value === 'string' ? value : null;
}

function num(object: Json, key: string): number | null {
  const value = object[key];
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

function kind(value: unknown): LineKind | null {
  return value === 'say' || value === 'action' ? value : null;
}

export function readRoomLine(value: unknown): RoomLine | null {
  const o = record(value);
  if (o === null) return null;
  const [roomKey, roomName, nick, text] = [
    str(o, 'roomKey'),
    str(o, 'roomName'),
    str(o, 'nick'),
    str(o, 'text'),
  ];
  const [id, at, lineKind] = [num(o, 'id'), num(o, 'at'), kind(o.kind)];
  if (roomKey === null || roomName === null || nick === null || text === null) return null;
  if (id === null || at === null || lineKind === null) return null;
  return { id, roomKey, roomName, at, kind: lineKind, nick, text };
}

function readDirect(value: unknown): DirectLineInput | null {
  const o = record(value);
  if (o === null) return null;
  const fields = [str(o, 'fromKey'), str(o, 'fromNick'), str(o, 'toKey'), str(o, 'toNick'), str(o, 'text')];
  const [at, lineKind] = [num(o, 'at'), kind(o.kind)];
  const [fromKey, fromNick, toKey, toNick, text] = fields;
  if (fromKey == null || fromNick == null || toKey == null || toNick == null || text == null) return null;
  if (at === null || lineKind === null) return null;
  return { fromKey, fromNick, toKey, toNick, at, kind: lineKind, text };
}

function readMember(value: unknown): ClusterMember | null {
  const o = record(value);
  if (o === null) return null;
  const [nickKey, nick, node] = [str(o, 'nickKey'), str(o, 'nick'), str(o, 'node')];
  return nickKey === null || nick === null || node === null ? null : { nickKey, nick, node };
}

function readChange(value: unknown): RoomChange | null {
  const o = record(value);
  if (o === null) return null;
  const on = typeof o.on === 'boolean' ? o.on : null;
  const [nickKey, nick] = [str(o, 'nickKey'), str(o, 'nick')];
  switch (o.type) {
    case 'topic': {
      const topic = str(o, 'topic');
      return topic === null ? null : { type: 'topic', topic };
    }
    case 'invite-only':
      return on === null ? null : { type: 'invite-only', on };
    case 'operator':
      return on === null || nickKey === null || nick === null
        ? null
        : { type: 'operator', nickKey, nick, on };
    case 'ban': {
      const mask = str(o, 'mask');
      return on === null || mask === null ? null : { type: 'ban', mask, on };
    }
    case 'invite':
      return nickKey === null || nick === null ? null : { type: 'invite', nickKey, nick };
    case 'kick':
    case 'kill': {
      const reason = str(o, 'reason');
      return nickKey === null || nick === null || reason === null
        ? null
        : { type: o.type, nickKey, nick, reason };
    }
    case 'rename': {
      const [newKey, newNick] = [str(o, 'newKey'), str(o, 'newNick')];
      return nickKey === null || nick === null || newKey === null || newNick === null
        ? null
        : { type: 'rename', nickKey, nick, newKey, newNick };
    }
    default:
      return null;
  }
}

function readLeft(value: unknown): { roomKey: string; member: ClusterMember }[] | null {
  const items = list(value);
  if (items === null) return null;
  const left: { roomKey: string; member: ClusterMember }[] = [];
  for (const item of items) {
    const o = record(item);
    const roomKey = o === null ? null : str(o, 'roomKey');
    const member = o === null ? null : readMember(o.member);
    if (roomKey === null || member === null) return null;
    left.push({ roomKey, member });
  }
  return left;
}

/** An event as JSON text (the `e` field of a stream entry); null when it is not one. */
export function readEvent(text: string): ClusterEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const o = record(value);
  const node = o === null ? null : str(o, 'node');
  if (o === null || node === null) return null;
  switch (o.type) {
    case 'line': {
      const line = readRoomLine(o.line);
      return line === null ? null : { type: 'line', node, line };
    }
    case 'direct': {
      const line = readDirect(o.line);
      return line === null ? null : { type: 'direct', node, line };
    }
    case 'presence': {
      const [roomKey, member, reason] = [str(o, 'roomKey'), readMember(o.member), str(o, 'reason')];
      if (roomKey === null || member === null || typeof o.joined !== 'boolean') return null;
      if (reason === null || !REASONS.has(reason)) return null;
      return { type: 'presence', node, roomKey, member, joined: o.joined, reason: reason as PresenceReason };
    }
    case 'room': {
      const [roomKey, by, change] = [str(o, 'roomKey'), str(o, 'by'), readChange(o.change)];
      return roomKey === null || by === null || change === null
        ? null
        : { type: 'room', node, roomKey, by, change };
    }
    case 'node-up': {
      const version = num(o, 'version');
      return version === null ? null : { type: 'node-up', node, version };
    }
    case 'node-gone': {
      const nicks = list(o.nicks);
      const left = readLeft(o.left);
      if (nicks === null || left === null || !nicks.every((key) => typeof key === 'string')) return null;
      return { type: 'node-gone', node, nicks: nicks as string[], left };
    }
    case 'nick-taken': {
      const [nickKey, nick, from] = [str(o, 'nickKey'), str(o, 'nick'), str(o, 'from')];
      return nickKey === null || nick === null || from === null
        ? null
        : { type: 'nick-taken', node, nickKey, nick, from };
    }
    default:
      return null;
  }
}

/** A member hash value `<node> <nick>`; null when it has no space. */
export function readMemberValue(nickKey: string, value: string): ClusterMember | null {
  const space = value.indexOf(' ');
  if (space <= 0) return null;
  return { nickKey, node: value.slice(0, space), nick: value.slice(space + 1) };
}
