/**
 * `--log-format pretty`: each pino JSON record becomes one line, `HH:MM:SS.mmm LEVEL message key=value`.
 * Values are quoted when they contain a space, a quote or an `=`, so a line still splits unambiguously;
 * control characters never reach the terminal (JSON-style `\uXXXX` escapes instead).
 */
import type { DestinationStream } from 'pino';
import type { TextSink } from './logger.ts';

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
  const message = escapeControls(String(record.msg ?? ''));
  const tail = fields === '' ? '' : colour ? `  ${DIM}${fields}${RESET}` : `  ${fields}`;
  return `${clockTime(record.time)} ${levelText} ${message}${tail}`;
}

function formatValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  // JSON.stringify leaves DEL, C1 controls and bidi overrides as they are; escapeControls catches those.
  return /^[^\s"=\\\p{Cc}\p{Cf}]+$/u.test(text) ? text : escapeControls(JSON.stringify(text));
}

/** A terminal must never receive a control character from a log record, even from a message. */
function escapeControls(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Local wall-clock time; the date is left out (the JSON format has it). */
function clockTime(time: unknown): string {
  const date = new Date(typeof time === 'string' || typeof time === 'number' ? time : Date.now());
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}
