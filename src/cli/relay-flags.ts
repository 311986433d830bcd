/**
 * `udpchat relay` flags and their translation into the relay core's settings. Every flag an issue names
 * is kept exactly (`--port`, `--idle-timeout`, `--line-burst`, ...): other tools rely on them.
 */

import { type HttpAddress, parseHostPort } from '../observability/http-address.ts';
import {
  defaultLogFormat,
  LOG_FORMATS,
  LOG_LEVELS,
  type LogFormat,
  type LogLevel,
} from '../observability/logger.ts';
import type { RelayOptions } from '../relay/relay.ts';
import type { ParsedFlags } from './parse-flags.ts';
import { parseCount, parseRate, parseSeconds, UsageError } from './usage-error.ts';

export const RELAY_FLAGS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'idle-timeout': { type: 'string' },
  'sweep-interval': { type: 'string' },
  keepalive: { type: 'string' },
  'keepalive-interval': { type: 'string' },
  'keepalive-timeout': { type: 'string' },
  'keepalive-misses': { type: 'string' },
  'line-burst': { type: 'string' },
  'line-rate': { type: 'string' },
  'max-per-address': { type: 'string' },
  'join-burst': { type: 'string' },
  'join-rate': { type: 'string' },
  'nick-burst': { type: 'string' },
  'nick-rate': { type: 'string' },
  accounts: { type: 'string' },
  'registered-only': { type: 'boolean' },
  strict: { type: 'boolean' },
  'lean-memory': { type: 'boolean' },
  trace: { type: 'boolean' },
  metrics: { type: 'string' },
  'log-level': { type: 'string' },
  'log-format': { type: 'string' },
  rcvbuf: { type: 'string' },
  sndbuf: { type: 'string' },
  'send-threads': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type CoreOptions = Omit<RelayOptions, 'isOwnAddress' | 'accounts' | 'registeredOnly'>;

/** The core settings the flags give; a flag left out keeps the core's documented default. */
export function coreOptionsFromFlags(flags: ParsedFlags): CoreOptions {
  const value = (name: keyof typeof RELAY_FLAGS): string | undefined => {
    const v = flags.values[name];
    return typeof v === 'string' ? v : undefined;
  };
  const seconds = (name: keyof typeof RELAY_FLAGS): number | undefined =>
    map(value(name), (v) => parseSeconds(v, `--${name}`));
  const count = (name: keyof typeof RELAY_FLAGS): number | undefined =>
    map(value(name), (v) => parseCount(v, `--${name}`));
  const rate = (name: keyof typeof RELAY_FLAGS): number | undefined =>
    map(value(name), (v) => parseRate(v, `--${name}`));
  const misses = count('keepalive-misses');
  if (misses === 0) throw new UsageError('--keepalive-misses must be at least 1');
  return dropUndefined({
    idleTimeoutMs: seconds('idle-timeout'),
    sweepIntervalMs: seconds('sweep-interval'),
    keepalive: map(value('keepalive'), parseKeepalive),
    keepaliveIntervalMs: seconds('keepalive-interval'),
    keepalivePongTimeoutMs: seconds('keepalive-timeout'),
    keepaliveMisses: misses,
    lineBurst: count('line-burst'),
    lineRate: rate('line-rate'),
    maxPerAddress: count('max-per-address'),
    joinBurst: count('join-burst'),
    joinRate: rate('join-rate'),
    nickBurst: count('nick-burst'),
    nickRate: rate('nick-rate'),
  });
}

function parseKeepalive(text: string): 'client' | 'server' {
  if (text === 'client' || text === 'server') return text;
  throw new UsageError(`--keepalive must be "client" or "server", got "${text}"`);
}

function map<T>(value: string | undefined, parse: (text: string) => T): T | undefined {
  return value === undefined ? undefined : parse(value);
}

function dropUndefined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Socket buffers: at ~100k datagrams/s the kernel's default 208 KiB receive queue holds about 2 ms of
 * traffic, so a short pause (a GC, a scrypt callback) drops datagrams. 4 MiB is Linux's usual
 * net.core.rmem_max; the kernel caps a larger request there (and doubles what it grants for bookkeeping).
 */
export const DEFAULT_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
/** setsockopt takes an int: node:dgram throws, from inside bind, for anything larger. */
const MAX_SOCKET_BUFFER_BYTES = 2 ** 31 - 1;

export interface ObservabilitySettings {
  /** Where to serve /metrics and /healthz; undefined = no endpoint (the default). */
  readonly metrics: HttpAddress | undefined;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  /** Bytes; 0 leaves the kernel's default. */
  readonly recvBufferSize: number;
  readonly sendBufferSize: number;
  /** Sender threads asked for (0: send on the event loop). */
  readonly sendThreads: number;
}

export function observabilityFromFlags(flags: ParsedFlags, stdoutIsTerminal: boolean): ObservabilitySettings {
  return {
    metrics: map(text(flags, 'metrics'), parseMetricsAddress),
    logLevel: oneOf(text(flags, 'log-level') ?? 'info', LOG_LEVELS, '--log-level'),
    logFormat: oneOf(
      text(flags, 'log-format') ?? defaultLogFormat(stdoutIsTerminal),
      LOG_FORMATS,
      '--log-format',
    ),
    recvBufferSize:
      map(text(flags, 'rcvbuf'), (v) => parseBytes(v, '--rcvbuf')) ?? DEFAULT_SOCKET_BUFFER_BYTES,
    sendBufferSize:
      map(text(flags, 'sndbuf'), (v) => parseBytes(v, '--sndbuf')) ?? DEFAULT_SOCKET_BUFFER_BYTES,
    sendThreads: map(text(flags, 'send-threads'), parseSendThreads) ?? 0,
  };
}

/** The addon allows 1..16 threads; 0 keeps every send on the event loop. */
const MAX_SEND_THREADS = 16;

function parseSendThreads(value: string): number {
  if (!/^\d{1,2}$/.test(value) || Number(value) > MAX_SEND_THREADS)
    throw new UsageError(
      `--send-threads must be a whole number from 0 to ${MAX_SEND_THREADS}, got "${value}"`,
    );
  return Number(value);
}

function parseMetricsAddress(value: string): HttpAddress {
  const parsed = parseHostPort(value);
  if (!parsed.ok) throw new UsageError(`--metrics: ${parsed.message}`);
  return parsed.address;
}

const BYTE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  k: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mib: 1024 ** 2,
};

/** `4194304`, `4M`, `4MiB`, `512k`: binary units, as the kernel counts; 0 means the kernel's default. */
export function parseBytes(value: string, what: string): number {
  const match = /^(\d{1,10})\s*([a-z]*)$/i.exec(value);
  const unit = BYTE_UNITS[(match?.[2] ?? '').toLowerCase()];
  if (match === null || unit === undefined)
    throw new UsageError(`${what} must be a size in bytes (e.g. 4194304, 512K or 4M), got "${value}"`);
  const bytes = Number(match[1]) * unit;
  if (bytes > MAX_SOCKET_BUFFER_BYTES) throw new UsageError(`${what} must be below 2 GiB, got "${value}"`);
  return bytes;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined)
    throw new UsageError(`${what} must be one of ${allowed.join(', ')}, got "${value}"`);
  return found;
}

function text(flags: ParsedFlags, name: keyof typeof RELAY_FLAGS): string | undefined {
  const value = flags.values[name];
  return typeof value === 'string' ? value : undefined;
}
