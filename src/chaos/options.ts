/**
 * `udpchat chaos` settings: the flag strings parsed and checked once, into one typed object. Pure; a bad
 * value is a ChaosOptionError naming the flag, which the CLI turns into a usage error (exit 2).
 */
import { isIP } from 'node:net';
import type { Address } from '../protocol/address.ts';
import type { FaultSettings } from './fault-model.ts';
import { MAX_SEED } from './prng.ts';

export interface ChaosSettings {
  /** Where clients send; port 0 lets the kernel choose. */
  readonly listen: Address;
  /** Where every client's datagrams are forwarded. */
  readonly target: Address;
  readonly faults: FaultSettings;
  /** undefined: the proxy picks a random seed (and reports it in its summary). */
  readonly seed: number | undefined;
  readonly mappingTimeoutMs: number;
  readonly maxMappings: number;
}

export type ChaosFlagName =
  | 'listen'
  | 'listen-host'
  | 'to'
  | 'loss'
  | 'dup'
  | 'reorder'
  | 'delay'
  | 'jitter'
  | 'reorder-hold'
  | 'seed'
  | 'mapping-timeout'
  | 'max-mappings';

export type ChaosFlagValues = Readonly<Partial<Record<ChaosFlagName, string | boolean>>>;

/** Loopback by default: an open forwarder on every interface would let anyone reflect traffic at --to. */
export const DEFAULT_LISTEN_HOST = '127.0.0.1';
export const DEFAULT_MAPPING_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_MAPPINGS = 1024;
/** Each mapping holds a socket (a file descriptor and an ephemeral port); beyond this the host suffers. */
export const MAX_MAX_MAPPINGS = 16_384;
/** Delay, jitter and hold are test conditions, not storage: a minute is already far past any UDP timeout. */
export const MAX_FAULT_DELAY_MS = 60_000;
/** setTimeout holds at most 2^31-1 ms; a day is plenty for an idle mapping. */
export const MAX_MAPPING_TIMEOUT_MS = 86_400_000;
/** The default reorder hold leaves this margin beyond the jitter window (see fault-model.ts). */
export const REORDER_MARGIN_MS = 50;

export class ChaosOptionError extends Error {
  override readonly name = 'ChaosOptionError';
  constructor(
    readonly flag: string,
    message: string,
  ) {
    super(message);
  }
}

export function parseChaosOptions(values: ChaosFlagValues): ChaosSettings {
  const listenPort = parsePortNumber(
    required(values, 'listen', 'the port clients send to; 0 picks one'),
    '--listen',
  );
  const jitterMs = parseDelay(values, 'jitter');
  const hold = text(values, 'reorder-hold');
  return {
    listen: {
      host: parseHost(text(values, 'listen-host') ?? DEFAULT_LISTEN_HOST, '--listen-host'),
      port: listenPort,
    },
    target: parseTarget(required(values, 'to', 'HOST:PORT of the server to forward to')),
    faults: {
      loss: parseOptionalPercentage(values, 'loss'),
      duplicate: parseOptionalPercentage(values, 'dup'),
      reorder: parseOptionalPercentage(values, 'reorder'),
      delayMs: parseDelay(values, 'delay'),
      jitterMs,
      reorderHoldMs:
        hold === undefined ? 2 * jitterMs + REORDER_MARGIN_MS : parseBoundedDuration(hold, '--reorder-hold'),
    },
    seed: optional(values, 'seed', parseSeed),
    mappingTimeoutMs: optional(values, 'mapping-timeout', parseMappingTimeout) ?? DEFAULT_MAPPING_TIMEOUT_MS,
    maxMappings: optional(values, 'max-mappings', parseMaxMappings) ?? DEFAULT_MAX_MAPPINGS,
  };
}

const DECIMAL = '(?:\\d+(?:\\.\\d+)?|\\.\\d+)';
const PERCENT_RE = new RegExp(`^(${DECIMAL})%$`);
const FRACTION_RE = new RegExp(`^${DECIMAL}$`);
const DURATION_RE = new RegExp(`^(${DECIMAL})(ms|s)?$`);

/** `10%` or the fraction `0.1`, both meaning one datagram in ten; returns a probability in [0, 1]. */
export function parsePercentage(raw: string, flag: string): number {
  const percent = PERCENT_RE.exec(raw);
  if (percent) {
    const value = Number(percent[1]) / 100;
    if (value > 1) throw new ChaosOptionError(flag, `${flag} must be between 0% and 100%, got "${raw}"`);
    return value;
  }
  if (!FRACTION_RE.test(raw)) {
    throw new ChaosOptionError(
      flag,
      `${flag} must be a percentage like 10% or a fraction like 0.1, got "${raw}"`,
    );
  }
  const value = Number(raw);
  if (value > 1) {
    throw new ChaosOptionError(flag, `${flag} as a fraction must be between 0 and 1 (did you mean ${raw}%?)`);
  }
  return value;
}

/** `20ms`, `0.5s`, or a plain number of milliseconds; returns milliseconds (>= 0, finite). */
export function parseDuration(raw: string, flag: string): number {
  const match = DURATION_RE.exec(raw);
  if (!match) throw new ChaosOptionError(flag, `${flag} must be a duration like 20ms or 0.5s, got "${raw}"`);
  const amount = Number(match[1]);
  return match[2] === 's' ? amount * 1000 : amount;
}

/** `1.2.3.4:9999` or `[::1]:9999`; an IP literal, since the proxy never resolves names. */
export function parseTarget(raw: string): Address {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):([^:]*)$/.exec(raw);
  const host = match?.[1] ?? match?.[2];
  const port = match?.[3];
  if (host === undefined || port === undefined) {
    throw new ChaosOptionError('--to', `--to must be HOST:PORT (IPv6 as [::1]:PORT), got "${raw}"`);
  }
  if (match?.[1] !== undefined && isIP(host) !== 6) {
    throw new ChaosOptionError('--to', `--to: "[${host}]" is not an IPv6 address`);
  }
  const parsedPort = parsePortNumber(port, '--to');
  if (parsedPort === 0) throw new ChaosOptionError('--to', `--to needs a port 1-65535, got "${raw}"`);
  return { host: parseHost(host, '--to'), port: parsedPort };
}

function parseHost(host: string, flag: string): string {
  if (isIP(host) === 0) {
    throw new ChaosOptionError(flag, `${flag} must be an IP address (no name lookups), got "${host}"`);
  }
  return host;
}

function parsePortNumber(raw: string, flag: string): number {
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(port <= 65535)) throw new ChaosOptionError(flag, `${flag} needs a port number 0-65535, got "${raw}"`);
  return port;
}

function parseBoundedDuration(raw: string, flag: string): number {
  const ms = parseDuration(raw, flag);
  if (ms > MAX_FAULT_DELAY_MS) throw new ChaosOptionError(flag, `${flag} must be at most 60s, got "${raw}"`);
  return ms;
}

function parseMappingTimeout(raw: string, flag: string): number {
  const ms = parseDuration(raw, flag);
  if (!(ms > 0)) throw new ChaosOptionError(flag, `${flag} must be greater than 0, got "${raw}"`);
  if (ms > MAX_MAPPING_TIMEOUT_MS)
    throw new ChaosOptionError(flag, `${flag} must be at most 86400s, got "${raw}"`);
  return ms;
}

function parseSeed(raw: string, flag: string): number {
  const seed = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(seed <= MAX_SEED))
    throw new ChaosOptionError(flag, `${flag} must be an integer 0-${MAX_SEED}, got "${raw}"`);
  return seed;
}

function parseMaxMappings(raw: string, flag: string): number {
  const count = /^\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(count >= 1 && count <= MAX_MAX_MAPPINGS)) {
    throw new ChaosOptionError(flag, `${flag} must be an integer 1-${MAX_MAX_MAPPINGS}, got "${raw}"`);
  }
  return count;
}

function parseOptionalPercentage(values: ChaosFlagValues, name: ChaosFlagName): number {
  return optional(values, name, parsePercentage) ?? 0;
}

function parseDelay(values: ChaosFlagValues, name: ChaosFlagName): number {
  return optional(values, name, parseBoundedDuration) ?? 0;
}

function optional<T>(
  values: ChaosFlagValues,
  name: ChaosFlagName,
  parse: (raw: string, flag: string) => T,
): T | undefined {
  const raw = text(values, name);
  return raw === undefined ? undefined : parse(raw, `--${name}`);
}

function required(values: ChaosFlagValues, name: ChaosFlagName, what: string): string {
  const raw = text(values, name);
  if (raw === undefined) throw new ChaosOptionError(`--${name}`, `--${name} is required (${what})`);
  return raw;
}

function text(values: ChaosFlagValues, name: ChaosFlagName): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}
