/**
 * `--log-format pretty`: each pino JSON record becomes one line, `HH:MM:SS.mmm LEVEL message key=value`.
 * Values are quoted when they contain a space, a quote or an `=`, so a line still splits unambiguously;
 * no unsafe character (protocol/sanitize.ts) reaches the terminal: each is shown as JSON-style `\uXXXX`
 * escapes instead.
 */
import type { DestinationStream } from 'pino';
import { containsUnsafe, replaceUnsafe } from '../protocol/sanitize.ts';

/** Where formatted lines go: stdout, or whatever a test captures them in. */
export interface TextSink {
  write(text: string): void;
}

type LogRecord = Record<string, unknown>;

/** Fields every record has, shown in the line's fixed part (or not at all). */
const FIXED_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

const LEVEL_COLOURS: Readonly<Record<string, string>> = {
  fatal: '\x1b[41;97m',
  error: '\x1b[31m',
  warn: '\x1b[33m',
  info: '\x1b[32m',
  debug: '\x1b[36m',
  trace: '\x1b[90m',
};
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';

export function prettyStream(out: TextSink, colour: boolean): DestinationStream {
  return { write: (line: string) => out.write(`${formatPrettyLine(line, colour)}\n`) };
}

export function formatPrettyLine(json: string, colour = false): string {
  let record: LogRecord;
  try {
    record = JSON.parse(json) as LogRecord;
  } catch {
    return json.trimEnd();
  }
  const level = String(record.level ?? '').toUpperCase();
  const paddedLevel = level.padEnd(5);
  const levelText = colour
    ? `${LEVEL_COLOURS[level.toLowerCase()] ?? ''}${paddedLevel}${RESET}`
    : paddedLevel;
  const fields = Object.entries(record)
    .filter(([key]) => !FIXED_FIELDS.has(key))
    .map(([key, value]) => `${key}=${formatValue(value)}`)
    .join(' ');
  const message = escapeUnsafe(String(record.msg ?? ''));
  const tail = fields === '' ? '' : colour ? `  ${DIM}${fields}${RESET}` : `  ${fields}`;
  return `${clockTime(record.time)} ${levelText} ${message}${tail}`;
}

function formatValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text.length > 0 && !NEEDS_QUOTES.test(text) && !containsUnsafe(text)) return text;
  // JSON.stringify leaves DEL, C1 controls and bidi overrides as they are; escapeUnsafe catches those.
  return escapeUnsafe(JSON.stringify(text));
}

/** A value with one of these would not split back unambiguously into key=value pairs. */
const NEEDS_QUOTES = /[\s"=\\]/u;

/** A terminal must never receive an unsafe character from a log record, even from a message. */
function escapeUnsafe(text: string): string {
  return replaceUnsafe(text, jsonEscape);
}

/** JSON's `\uXXXX` for each UTF-16 unit, so a code point beyond the BMP is written as its surrogate pair. */
function jsonEscape(char: string): string {
  let out = '';
  for (let index = 0; index < char.length; index++) {
    out += `\\u${char.charCodeAt(index).toString(16).padStart(4, '0')}`;
  }
  return out;
}

/** Local wall-clock time; the date is left out (the JSON format has it). */
function clockTime(time: unknown): string {
  const date = new Date(typeof time === 'string' || typeof time === 'number' ? time : Date.now());
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}
