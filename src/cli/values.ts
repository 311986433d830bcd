/**
 * The values that `udpchat` flags and arguments take, each parsed one way for every subcommand (relay,
 * chat, chaos, account, top, bench): ports, HOST:PORT, durations with units, counts, rates, percentages,
 * byte sizes, choices and text. A parser gets the text and the name it is known by (`--port`, or `port`
 * for a positional argument) and throws a UsageError ('bad-value') that names it and says what it accepts.
 */
import { isIP } from 'node:net';
import { escapeForDisplay } from '../protocol/trace-format.ts';
import { UsageError } from './usage-error.ts';

export interface ValueType<T> {
  /** Stands for the value in usage lines and help: PORT, HOST:PORT, D, N, ... */
  readonly placeholder: string;
  parse(text: string, name: string): T;
  /** How a default value is written in help, in a form `parse` accepts (`30s`, `4M`, `0%`). */
  format(value: T): string;
}

/** `${name} must be <accepted>, got "<text>"`: the one shape of a bad value. */
function refuse(name: string, text: string, accepted: string): never {
  throw new UsageError('bad-value', `${name} must be ${accepted}, got "${escapeForDisplay(text)}"`);
}

// --- numbers ---

/** A plain decimal: `12`, `1.5`, `.5`; no sign, no exponent (bounded, so Number() stays exact enough). */
const DECIMAL = '(?:\\d{1,15}(?:\\.\\d{1,15})?|\\.\\d{1,15})';
const DECIMAL_RE = new RegExp(`^${DECIMAL}$`);

/** A port number; `zero: false` for an address to reach rather than to bind (0 = "the kernel chooses"). */
export function port(options: { readonly zero?: boolean } = {}): ValueType<number> {
  const min = options.zero === false ? 1 : 0;
  return {
    placeholder: 'PORT',
    format: String,
    parse(text, name) {
      const value = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
      if (!(value >= min && value <= 65535)) refuse(name, text, `a port number ${min}-65535`);
      return value;
    },
  };
}

/** A whole number (a count, an id, a seed) from `min` (default 0, which usually means "off") to `max`. */
export function count(options: { readonly min?: number; readonly max?: number } = {}): ValueType<number> {
  const min = options.min ?? 0;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  const accepted =
    options.max === undefined ? `a whole number >= ${min}` : `a whole number from ${min} to ${max}`;
  return {
    placeholder: 'N',
    format: String,
    parse(text, name) {
      const value = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
      if (!(value >= min && value <= max)) refuse(name, text, accepted);
      return value;
    },
  };
}

/** A rate per second, fractions allowed: >= 0 (0 usually turns a limit off), or > 0 with `positive`. */
export function rate(options: { readonly positive?: boolean } = {}): ValueType<number> {
  const positive = options.positive === true;
  return {
    placeholder: 'R',
    format: String,
    parse(text, name) {
      const value = DECIMAL_RE.test(text) ? Number(text) : Number.NaN;
      if (!(positive ? value > 0 : value >= 0))
        refuse(name, text, positive ? 'a number > 0' : 'a number >= 0');
      return value;
    },
  };
}

const PERCENT_RE = new RegExp(`^(${DECIMAL})%$`);

/** `10%` or the fraction `0.1`, both one in ten; the value is a probability in [0, 1]. */
export const percentage: ValueType<number> = {
  placeholder: 'P',
  format: (value) => `${Number((value * 100).toPrecision(12))}%`,
  parse(text, name) {
    const percent = PERCENT_RE.exec(text);
    if (percent !== null) {
      const value = Number(percent[1]) / 100;
      if (value > 1) refuse(name, text, 'between 0% and 100%');
      return value;
    }
    if (!DECIMAL_RE.test(text)) refuse(name, text, 'a percentage like 10% or a fraction like 0.1');
    const value = Number(text);
    if (value > 1)
      throw new UsageError(
        'bad-value',
        `${name} as a fraction must be between 0 and 1 (did you mean ${text}%?)`,
      );
    return value;
  },
};

// --- durations ---

const DAY_MS = 86_400_000;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: DAY_MS };
const DURATION_RE = new RegExp(`^(${DECIMAL})(ms|s|m|h|d)?$`);

export interface DurationRules {
  /** The unit of a plain number: seconds for the relay's and chat's timeouts, milliseconds for chaos delays. */
  readonly bare: 's' | 'ms';
  /** Whether 0 is allowed (a delay) or not (a timeout, an interval). */
  readonly zero: boolean;
  readonly maxMs?: number;
}

/** `250ms`, `1.5s`, `2m`, `1h`, or a plain number in the flag's own unit; the value is in milliseconds. */
export function duration(rules: DurationRules): ValueType<number> {
  const plain = rules.bare === 's' ? 'seconds' : 'milliseconds';
  return {
    placeholder: 'D',
    format: formatDuration,
    parse(text, name) {
      const match = DURATION_RE.exec(text);
      if (match === null)
        refuse(name, text, `a duration like 250ms, 1.5s or 2m (a plain number is ${plain})`);
      // Rounded to the microsecond, so `1.1s` is 1100 ms and not 1100.0000000000002.
      const ms = Math.round(Number(match[1]) * (UNIT_MS[match[2] ?? rules.bare] ?? 1) * 1_000) / 1_000;
      if (!Number.isFinite(ms)) refuse(name, text, 'a finite duration');
      if (!rules.zero && !(ms > 0)) refuse(name, text, 'greater than 0');
      if (rules.maxMs !== undefined && ms > rules.maxMs)
        refuse(name, text, `at most ${formatDuration(rules.maxMs)}`);
      return ms;
    },
  };
}

function formatDuration(ms: number): string {
  return ms >= 1_000 && ms % 1_000 === 0 ? `${ms / 1_000}s` : `${ms}ms`;
}

// --- sizes ---

const BYTE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  k: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mib: 1024 ** 2,
};

/** `4194304`, `512K`, `4M`, `4MiB`: binary units, as the kernel counts socket buffers; at most `max` bytes. */
export function byteSize(options: { readonly max: number; readonly maxText: string }): ValueType<number> {
  return {
    placeholder: 'BYTES',
    format: (bytes) => {
      if (bytes > 0 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2}M`;
      return bytes > 0 && bytes % 1024 === 0 ? `${bytes / 1024}K` : String(bytes);
    },
    parse(text, name) {
      const match = /^(\d{1,10})\s*([a-z]*)$/i.exec(text);
      const unit = BYTE_UNITS[(match?.[2] ?? '').toLowerCase()];
      if (match === null || unit === undefined)
        refuse(name, text, 'a size in bytes (e.g. 4194304, 512K or 4M)');
      const bytes = Number(match[1]) * unit;
      if (bytes > options.max) refuse(name, text, `below ${options.maxText}`);
      return bytes;
    },
  };
}

// --- words ---

/** One of a fixed set of words, e.g. `client|server`. */
export function choice<const T extends string>(choices: readonly T[]): ValueType<T> {
  return {
    placeholder: choices.join('|'),
    format: (value) => value,
    parse(text, name) {
      const found = choices.find((candidate) => candidate === text);
      if (found === undefined) refuse(name, text, `one of ${choices.join(', ')}`);
      return found;
    },
  };
}

/** Any text (a nick, a file, a host to bind); `empty: false` refuses the empty string. */
export function text(placeholder: string, options: { readonly empty?: boolean } = {}): ValueType<string> {
  return {
    placeholder,
    format: (value) => value,
    parse(value, name) {
      if (value === '' && options.empty === false) refuse(name, value, 'a non-empty value');
      return value;
    },
  };
}

/** Words split on blanks, no shell (`--relay-cmd "python3 relay.py"`). */
export function words(placeholder: string): ValueType<string[]> {
  return {
    placeholder,
    format: (value) => value.join(' '),
    parse: (value) => value.split(/\s+/).filter((word) => word.length > 0),
  };
}

/** A comma-separated list of one value type (`10,100,1000`). */
export function listOf<T>(item: ValueType<T>): ValueType<T[]> {
  return {
    placeholder: `${item.placeholder},...`,
    format: (values) => values.map((value) => item.format(value)).join(','),
    parse: (value, name) => value.split(',').map((part) => item.parse(part.trim(), name)),
  };
}

// --- addresses ---

/** An IP address literal: a tool that never resolves names (the chaos proxy) takes only these. */
export const ipAddress: ValueType<string> = {
  placeholder: 'IP',
  format: (value) => value,
  parse(value, name) {
    if (isIP(value) === 0) refuse(name, value, 'an IP address (no name lookups)');
    return value;
  },
};

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export interface HostPortRules {
  /** Which hosts: IP literals only, IP literals and host names, or IPv4 only (`localhost` is 127.0.0.1). */
  readonly hosts: 'ip' | 'ip-or-name' | 'ipv4';
  /** Port 0 is allowed for an address to bind (the kernel chooses), not for one to reach. */
  readonly zeroPort: boolean;
}

const HOST_PORT_RE = /^(?:\[([^\]]*)\]|([^:[\]]*)):([^:]*)$/;
const HOSTNAME_RE =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** `127.0.0.1:9100`, `[::1]:9100` (IPv6 is always bracketed) or, where names are allowed, `localhost:9100`. */
export function hostPort(rules: HostPortRules): ValueType<HostPort> {
  const shape = rules.hosts === 'ipv4' ? 'IPV4:PORT' : 'HOST:PORT';
  const example = rules.hosts === 'ipv4' ? 'e.g. 127.0.0.1:9999' : 'e.g. 127.0.0.1:9999; IPv6 as [::1]:9999';
  return {
    placeholder: 'HOST:PORT',
    format: ({ host, port }) => (isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`),
    parse(value, name) {
      const match = HOST_PORT_RE.exec(value);
      if (match === null) refuse(name, value, `${shape} (${example})`);
      const [, bracketed, plain = '', portText = ''] = match;
      const host = bracketed === undefined ? plainHost(plain, name, rules) : ipv6Host(bracketed, name, rules);
      const portNumber = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
      const min = rules.zeroPort ? 0 : 1;
      if (!(portNumber >= min && portNumber <= 65535))
        refuse(name, value, `${shape} with a port ${min}-65535`);
      return { host, port: portNumber };
    },
  };
}

/** Addresses in a list, one `HOST:PORT` at least. */
const MAX_HOST_PORTS = 16;

/**
 * `HOST:PORT,HOST:PORT,...` (`chat --relay`: the relays of one cluster, in the order they are tried); one
 * address alone is a list of one. A bad entry is named by its place and its text.
 */
export function hostPortList(rules: HostPortRules): ValueType<readonly HostPort[]> {
  const one = hostPort(rules);
  return {
    placeholder: 'HOST:PORT[,HOST:PORT...]',
    format: (list) => list.map((entry) => one.format(entry)).join(','),
    parse(value, name) {
      const entries = value.split(',');
      if (entries.length > MAX_HOST_PORTS) refuse(name, value, `at most ${MAX_HOST_PORTS} addresses`);
      return entries.map((entry, i) =>
        one.parse(entry.trim(), entries.length === 1 ? name : `${name} entry ${i + 1}`),
      );
    },
  };
}

function ipv6Host(host: string, name: string, rules: HostPortRules): string {
  if (rules.hosts === 'ipv4') refuse(name, `[${host}]`, 'an IPv4 address');
  if (isIP(host) !== 6) refuse(name, `[${host}]`, 'an IPv6 address in brackets');
  return host;
}

function plainHost(host: string, name: string, rules: HostPortRules): string {
  if (rules.hosts === 'ipv4') {
    if (host === 'localhost') return '127.0.0.1';
    if (isIP(host) !== 4) refuse(name, host, 'an IPv4 address (or localhost)');
  } else if (rules.hosts === 'ip') {
    if (isIP(host) === 0) refuse(name, host, 'an IP address (no name lookups)');
  } else if (isIP(host) === 0 && !HOSTNAME_RE.test(host)) refuse(name, host, 'a host name or IP address');
  return host;
}

/** An IPv4 address literal (`--interface 192.168.1.20`): multicast membership here is IPv4 only. */
export const ipv4Address: ValueType<string> = {
  placeholder: 'ADDR',
  format: (value) => value,
  parse(value, name) {
    if (isIP(value) !== 4) refuse(name, value, 'an IPv4 address such as 192.168.1.20');
    return value;
  },
};

/** The first octets of IPv4 multicast, 224.0.0.0/4 (RFC 5771). */
const MULTICAST_FIRST_OCTETS = { min: 224, max: 239 };

/** `239.255.0.1:9999`: an IPv4 multicast group (224.0.0.0 to 239.255.255.255) and a port 1-65535. */
export const multicastGroup: ValueType<HostPort> = {
  placeholder: 'GROUP:PORT',
  format: ({ host, port }) => `${host}:${port}`,
  parse(value, name) {
    const accepted = 'an IPv4 multicast group 224.0.0.0-239.255.255.255 and a port, like 239.255.0.1:9999';
    const match = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(value);
    if (match === null) refuse(name, value, accepted);
    const [, host = '', portText = ''] = match;
    const first = Number(host.split('.')[0]);
    if (isIP(host) !== 4 || first < MULTICAST_FIRST_OCTETS.min || first > MULTICAST_FIRST_OCTETS.max)
      refuse(name, value, accepted);
    const portNumber = Number(portText);
    if (!(portNumber >= 1 && portNumber <= 65535)) refuse(name, value, `${accepted} (port 1-65535)`);
    return { host, port: portNumber };
  },
};

/** A web origin as a browser sends it: `https://chat.example.org` or `http://127.0.0.1:8080`, no path. */
export const webOrigin: ValueType<string> = {
  placeholder: 'ORIGIN',
  format: (value) => value,
  parse(value, name) {
    let origin = '';
    try {
      const url = new URL(value);
      if (url.protocol === 'http:' || url.protocol === 'https:') origin = url.origin;
    } catch {
      origin = '';
    }
    if (origin === '' || origin !== value.replace(/\/$/, ''))
      refuse(name, value, 'an origin: http:// or https://, a host and an optional port, no path');
    return origin;
  },
};
