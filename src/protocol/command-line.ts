/**
 * How a line is read: a command (`/name args`) or text to say. The seed knew three commands and relayed
 * every other line, slash or not; we answer an unknown `/word` with an error so a typo is not broadcast,
 * and `//text` says `/text` literally (the IRC convention).
 */
export type ParsedLine =
  | { readonly kind: 'command'; readonly name: string; readonly args: string; readonly bare: boolean }
  | { readonly kind: 'text'; readonly text: string };

const COMMAND = /^\/([A-Za-z][A-Za-z0-9_-]{0,31})(?: (.*))?$/s;

export function parseLine(line: string): ParsedLine {
  if (line.startsWith('//')) return { kind: 'text', text: line.slice(1) };
  const match = COMMAND.exec(line);
  if (match === null) return { kind: 'text', text: line };
  const args = match[2];
  return {
    kind: 'command',
    name: (match[1] ?? '').toLowerCase(),
    args: args ?? '',
    bare: args === undefined,
  };
}

/** Splits off the first word of `args`: `"#room some reason"` -> `["#room", "some reason"]`. */
export function firstWord(args: string): [string, string] {
  const trimmed = args.trimStart();
  const space = trimmed.search(/\s/);
  if (space < 0) return [trimmed, ''];
  return [trimmed.slice(0, space), trimmed.slice(space + 1).trim()];
}
