/**
 * The relay's commands as lines, built from typed arguments (docs/PROTOCOL.md, "Commands beyond the seed").
 * A nick or room argument with whitespace in it would change how the relay splits the line, so it is
 * refused here instead of being sent.
 */
import type { SayError } from './events.ts';

export type CommandLine =
  | { readonly ok: true; readonly line: string }
  | { readonly ok: false; readonly error: SayError };

/** One word (a nick or a room name): non-empty, no whitespace. */
function word(value: string, what: string): SayError | null {
  if (value.length > 0 && !/\s/u.test(value)) return null;
  return { code: 'bad-argument', message: `${what} must be one word, got ${JSON.stringify(value)}` };
}

function room(value: string): SayError | null {
  return word(value, 'a room name') ?? (value.startsWith('#') ? null : roomError(value));
}

function roomError(value: string): SayError {
  return { code: 'bad-argument', message: `a room name starts with #, got ${JSON.stringify(value)}` };
}

/** `/name arg arg [rest]`, checking each word argument first. */
export function commandLine(
  name: string,
  words: readonly (readonly [string, 'nick' | 'room'])[],
  rest = '',
): CommandLine {
  for (const [value, kind] of words) {
    const error = kind === 'room' ? room(value) : word(value, 'a nick');
    if (error !== null) return { ok: false, error };
  }
  const parts = [`/${name}`, ...words.map(([value]) => value)];
  if (rest !== '') parts.push(rest);
  return { ok: true, line: parts.join(' ') };
}
