/**
 * The relay's structured log (pino). `--log-format json` writes one JSON object per line; `pretty` writes
 * one human line per record through our own small formatter (logger-pretty.ts) rather than pino-pretty,
 * which is only a devDependency: a production install must not print differently, or fail, for lack of it.
 * Records go to stdout after the plain `relay listening on udp/<port>` line, which stays first in every
 * format because scripts wait for it.
 */
import { type DestinationStream, type Level, type Logger, pino } from 'pino';
import { prettyStream, type TextSink } from './logger-pretty.ts';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = Level | 'silent';
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LoggerOptions {
  readonly level: LogLevel;
  readonly format: LogFormat;
  /** Where lines go; stdout unless a test captures them. */
  readonly out?: TextSink;
  /** Colours in the pretty format (a terminal without NO_COLOR). */
  readonly colour?: boolean;
}

/**
 * Defence in depth: no code path logs a secret or a message body (logger-events.ts builds every record
 * from a whitelist), but should a field with one of these names ever reach a record, its value is replaced.
 */
const REDACTED_PATHS = ['secret', '*.secret', 'password', '*.password', 'text', '*.text', 'body', '*.body'];

export function createLogger(options: LoggerOptions): Logger {
  const out = options.out ?? process.stdout;
  const destination: DestinationStream =
    options.format === 'pretty'
      ? prettyStream(out, options.colour ?? false)
      : { write: (line) => out.write(line) };
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}

/** Pretty for a person at a terminal, JSON for anything that collects the output. */
export function defaultLogFormat(stdoutIsTerminal: boolean): LogFormat {
  return stdoutIsTerminal ? 'pretty' : 'json';
}
