/**
 * `udpchat relay` flags and their translation into the relay core's settings. Every flag an issue names
 * is kept exactly (`--port`, `--idle-timeout`, `--line-burst`, ...): other tools rely on them.
 */
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
  trace: { type: 'boolean' },
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
