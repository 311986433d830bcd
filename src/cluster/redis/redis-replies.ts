/** Reading Redis replies (RESP2 arrays of strings) without trusting their shape. */
import type { ReadEntry } from '../backend.ts';
import { ClusterError } from '../bus-error.ts';
import { readEvent } from '../event-codec.ts';

function fail(what: string): never {
  throw new ClusterError('protocol', `unexpected reply to ${what}`);
}

export function strings(reply: unknown, what: string): string[] {
  if (!Array.isArray(reply) || !reply.every((item) => typeof item === 'string')) return fail(what);
  return reply as string[];
}

/** A stream entry `[id, [field, value, ...]]` as its id and the value of `field`. */
export function entryField(
  entry: unknown,
  field: string,
  what: string,
): { id: string; value: string | null } {
  if (!Array.isArray(entry) || typeof entry[0] !== 'string') return fail(what);
  const fields = strings(entry[1], what);
  const at = fields.indexOf(field);
  return { id: entry[0], value: at >= 0 && at % 2 === 0 ? (fields[at + 1] ?? null) : null };
}

/** `<number>-0` ids of the shared stream carry the event number. */
function eventNumber(id: string): number {
  const match = /^(\d{1,15})-0$/.exec(id);
  return match === null ? 0 : Number(match[1]);
}

/** XREAD's reply (`[[stream, [entry, ...]], ...]` or null) as entries per stream key. */
export function readEntries(reply: unknown, eventsKey: string): { events: ReadEntry[]; inbox: ReadEntry[] } {
  const out = { events: [] as ReadEntry[], inbox: [] as ReadEntry[] };
  if (reply === null) return out;
  if (!Array.isArray(reply)) return fail('XREAD');
  for (const stream of reply) {
    if (!Array.isArray(stream) || typeof stream[0] !== 'string' || !Array.isArray(stream[1]))
      return fail('XREAD');
    const shared = stream[0] === eventsKey;
    for (const raw of stream[1]) {
      const { id, value } = entryField(raw, 'e', 'XREAD');
      const event = value === null ? null : readEvent(value);
      (shared ? out.events : out.inbox).push({ id, number: shared ? eventNumber(id) : 0, event });
    }
  }
  return out;
}
