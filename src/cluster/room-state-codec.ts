/**
 * A room's kept state as the Redis apply script stores it (JSON: `topic`, `inviteOnly`, `operators` as
 * nickKey → nick, `bans` as masks, `invited` as nickKey → true), read back without trusting its shape.
 * Lua's cjson writes an empty list as `{}`, so an object with no entries reads as an empty list. The
 * relay checks every nick, topic and mask again when it takes the state (relay/cluster/room-state.ts).
 */
import type { ClusterRoomSnapshot } from '../relay/cluster-bus.ts';
import { MAX_KEPT_PER_ROOM } from './room-state-rules.ts';

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function readRoomSnapshot(roomKey: string, json: string): ClusterRoomSnapshot | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  const o = record(value);
  if (o === null) return null;
  const operators = Object.entries(record(o.operators) ?? {})
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .slice(0, MAX_KEPT_PER_ROOM)
    .map(([nickKey, nick]) => ({ nickKey, nick }));
  const invited = Object.entries(record(o.invited) ?? {})
    .filter(([, on]) => on === true)
    .slice(0, MAX_KEPT_PER_ROOM)
    .map(([nickKey]) => nickKey);
  const bans = list(o.bans)
    .filter((mask): mask is string => typeof mask === 'string')
    .slice(0, MAX_KEPT_PER_ROOM);
  return {
    roomKey,
    topic: typeof o.topic === 'string' ? o.topic : '',
    inviteOnly: o.inviteOnly === true,
    operators,
    bans,
    invited,
  };
}
