/** Redis stream ids (`<ms>-<seq>`, both unsigned 64-bit), compared exactly (BigInt: past 2^53 too). */

/** Parses `ms-seq` (or a bare `ms`, as `ms-0`); null when it is not a stream id. */
export function parseStreamId(id: string): readonly [bigint, bigint] | null {
  const match = /^(\d{1,20})(?:-(\d{1,20}))?$/.exec(id);
  if (match === null) return null;
  return [BigInt(match[1] ?? '0'), BigInt(match[2] ?? '0')];
}

/** True when `id` comes after `last` in a stream ('0' or '0-0' is before everything). */
export function streamIdAfter(id: string, last: string): boolean {
  const a = parseStreamId(id);
  const b = parseStreamId(last);
  if (a === null) return false;
  if (b === null) return true;
  return a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
}
