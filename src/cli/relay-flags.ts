/**
 * `udpchat relay` flags and their translation into the relay core's settings and the host's. Every flag an
 * issue names is kept exactly (`--port`, `--idle-timeout`, `--line-burst`, ...): other tools rely on them.
 * Each default is the core's own constant, so the help shows what the relay really does.
 */

import { availableParallelism } from 'node:os';
import type { HttpAddress } from '../observability/http-address.ts';
import {
  defaultLogFormat,
  LOG_FORMATS,
  LOG_LEVELS,
  type LogFormat,
  type LogLevel,
} from '../observability/logger.ts';
import * as limits from '../protocol/limits.ts';
import { escapeForDisplay } from '../protocol/trace-format.ts';
import { MAX_ADVERTISED_MS, MIN_IDLE_TIMEOUT_MS } from '../protocol/v2/protected-limits.ts';
import type { RelayOptions } from '../relay/relay.ts';
import {
  DEFAULT_HISTORY_LINES,
  DEFAULT_HISTORY_MAX_AGE_MS,
  DEFAULT_HISTORY_MAX_LINES,
  MAX_HISTORY_PAGE,
} from '../relay/store.ts';
import type { StreamListenOptions } from '../relay-host/stream-listeners.ts';
import { CLUSTER_FLAGS } from './cluster-flags.ts';
import type { ParsedCommandLine } from './flag-parser.ts';
import { switchFlag, valueFlag } from './flag-table.ts';
import { UsageError } from './usage-error.ts';
import { V2_RELAY_FLAGS } from './v2-flags.ts';
import {
  byteSize,
  choice,
  count,
  duration,
  hostPort,
  listOf,
  port,
  rate,
  text,
  type ValueType,
  webOrigin,
} from './values.ts';

/** The relay's timeouts and intervals: a plain number is seconds, as it always was (`--idle-timeout 30`). */
const timeout = duration({ bare: 's', zero: false });
/**
 * The idle timeout travels in every v2 ACCEPT as u32 milliseconds, with a keep-alive of a third of it, so it
 * is kept to the whole millisecond (the relay evicts on that same value) and refused, never clamped, outside
 * what the fields can carry: 3 ms (a 1 ms keep-alive) to 2^32 - 1 ms (docs/PROTOCOL-v2.md, section 9).
 */
const idleTimeout: ValueType<number> = {
  ...timeout,
  parse(text, name) {
    const ms = Math.floor(timeout.parse(text, name));
    if (ms < MIN_IDLE_TIMEOUT_MS || ms > MAX_ADVERTISED_MS) {
      throw new UsageError(
        'bad-value',
        `${name} must be ${MIN_IDLE_TIMEOUT_MS}ms to ${MAX_ADVERTISED_MS}ms (the v2 ACCEPT carries it as u32 milliseconds, with a keep-alive of a third of it), got "${escapeForDisplay(text)}"`,
      );
    }
    return ms;
  },
};
/** Flood-control limits: 0 turns a limit off. */
const limit = count();
const perSecond = rate();
/** Retention by age: days are its natural unit, so its default is shown in them. */
const DAY_MS = 86_400_000;
const ageDuration = duration({ bare: 's', zero: false });
const historyAge = {
  ...ageDuration,
  format: (ms: number): string => (ms % DAY_MS === 0 ? `${ms / DAY_MS}d` : ageDuration.format(ms)),
};

/**
 * Socket buffers: at ~100k datagrams/s the kernel's default 208 KiB receive queue holds about 2 ms of
 * traffic, so a short pause (a GC, a scrypt callback) drops datagrams. 4 MiB is Linux's usual
 * net.core.rmem_max; the kernel caps a larger request there (and doubles what it grants for bookkeeping).
 */
export const DEFAULT_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
/** setsockopt takes an int: node:dgram throws, from inside bind, for anything larger. */
const socketBuffer = byteSize({ max: 2 ** 31 - 1, maxText: '2 GiB' });
/** The addon allows 1..16 threads; 0 keeps every send on the event loop. */
const MAX_SEND_THREADS = 16;
const threadCount = count({ max: MAX_SEND_THREADS });

/**
 * `auto` or a count. Auto gives the fan-out one sender thread per core beyond the event loop's, so a
 * machine with a core to spare uses it (the kernel's share of a delivery, about 80 %, runs in the sending
 * thread) and a single-core machine keeps every send on the loop, where a hand-off would only add work.
 */
const sendThreads: ValueType<number | 'auto'> = {
  placeholder: 'N|auto',
  format: String,
  parse(value, name) {
    if (value === 'auto') return 'auto';
    try {
      return threadCount.parse(value, name);
    } catch {
      const shown = escapeForDisplay(value);
      throw new UsageError(
        'bad-value',
        `${name} must be auto or a whole number from 0 to 16, got "${shown}"`,
      );
    }
  },
};

/** What `--send-threads auto` means on a machine with `cores` cores for this process. */
export function autoSendThreads(cores: number): number {
  return Math.max(0, Math.min(MAX_SEND_THREADS, Math.floor(cores) - 1));
}

export const RELAY_FLAGS = {
  host: valueFlag(text('H'), 'address to bind', { default: '0.0.0.0' }),
  port: valueFlag(port(), 'UDP port to bind; 0 picks a free one (the listening line says which)', {
    default: limits.DEFAULT_PORT,
  }),
  'tcp-port': valueFlag(
    port(),
    'also serve the v1 line protocol over TCP (newline framing) on this port of --host; 0 picks one',
    { defaultText: 'off' },
  ),
  web: valueFlag(
    hostPort({ hosts: 'ip-or-name', zeroPort: true }),
    'serve the web client and its WebSocket (at /chat) on this address',
    { defaultText: 'off' },
  ),
  'web-origin': valueFlag(
    listOf(webOrigin),
    "page origins allowed to open the WebSocket besides the page's own (a proxy in front)",
    { defaultText: "the page's own only" },
  ),
  'idle-timeout': valueFlag(idleTimeout, 'drop a client not heard from for this long', {
    default: limits.DEFAULT_IDLE_TIMEOUT_MS,
  }),
  'sweep-interval': valueFlag(timeout, 'how often to look for silent clients', {
    default: limits.DEFAULT_SWEEP_INTERVAL_MS,
  }),
  trace: switchFlag('print every datagram in and out on stderr (secrets redacted)'),
  keepalive: valueFlag(
    choice(['client', 'server']),
    "who keeps a quiet client alive: its own pings (the seed's way), or the relay's pings",
    { default: 'client' },
  ),
  'keepalive-interval': valueFlag(timeout, 'with --keepalive server: ping a client silent this long', {
    default: limits.DEFAULT_KEEPALIVE_INTERVAL_MS,
  }),
  'keepalive-timeout': valueFlag(
    timeout,
    'with --keepalive server: ping again after this long without /pong',
    {
      default: limits.DEFAULT_KEEPALIVE_PONG_TIMEOUT_MS,
    },
  ),
  'keepalive-misses': valueFlag(
    count({ min: 1 }),
    'with --keepalive server: drop a client after N unanswered pings',
    {
      default: limits.DEFAULT_KEEPALIVE_MISSES,
    },
  ),
  'line-burst': valueFlag(limit, 'lines a client may send at once', {
    default: limits.DEFAULT_LINE_BURST,
  }),
  'line-rate': valueFlag(perSecond, 'lines per second a client may send after its burst', {
    default: limits.DEFAULT_LINE_RATE,
  }),
  'max-per-address': valueFlag(limit, 'clients per source host', {
    default: limits.DEFAULT_MAX_PER_ADDRESS,
  }),
  'join-burst': valueFlag(limit, 'registrations a source host may make at once', {
    default: limits.DEFAULT_JOIN_BURST,
  }),
  'join-rate': valueFlag(perSecond, 'registrations per second per source host after the burst', {
    default: limits.DEFAULT_JOIN_RATE,
  }),
  'nick-burst': valueFlag(limit, 'nick changes a source host may make at once', {
    default: limits.DEFAULT_NICK_BURST,
  }),
  'nick-rate': valueFlag(perSecond, 'nick changes per second per source host after the burst', {
    default: limits.DEFAULT_NICK_RATE,
  }),
  accounts: valueFlag(
    text('FILE', { empty: false }),
    'registered nicknames (see "udpchat account"); such a nick joins only with "/join <nick> <secret>"',
  ),
  'registered-only': switchFlag('refuse nicknames that have no account (needs --accounts)'),
  strict: switchFlag(
    'serve only protected v2 clients (wire version 3); v1 datagrams are dropped unanswered, and a HELLO ' +
      'of another version is refused',
  ),
  identity: valueFlag(
    text('FILE', { empty: false }),
    "the relay's long-term identity key (Ed25519, PKCS#8 PEM), created with mode 0600 on first start; " +
      'clients pin its fingerprint',
    { defaultText: 'relay-identity.pem beside --db; without --db a new one at each start' },
  ),
  'lean-memory': switchFlag(
    "V8's optimize-for-size mode, for relays with very many idle clients: less memory, more CPU per " +
      'delivered line (see docs/BENCHMARKS.md)',
  ),
  metrics: valueFlag(
    hostPort({ hosts: 'ip-or-name', zeroPort: true }),
    'serve Prometheus text at /metrics, and /healthz, on this address only',
    { defaultText: 'off' },
  ),
  'log-level': valueFlag(choice(LOG_LEVELS), `the least severe record logged: ${LOG_LEVELS.join(', ')}`, {
    default: 'info',
    placeholder: 'LEVEL',
  }),
  'log-format': valueFlag(choice(LOG_FORMATS), 'one JSON object per line, or pretty text', {
    defaultText: 'pretty on a terminal, json otherwise',
  }),
  rcvbuf: valueFlag(socketBuffer, "the UDP socket's receive buffer, 0 for the kernel's default", {
    default: DEFAULT_SOCKET_BUFFER_BYTES,
  }),
  sndbuf: valueFlag(socketBuffer, "the UDP socket's send buffer, 0 for the kernel's default", {
    default: DEFAULT_SOCKET_BUFFER_BYTES,
  }),
  db: valueFlag(
    text('FILE', { empty: false }),
    'keep accounts, rooms (topic, modes, bans, operators) and history in this SQLite file (created, mode 0600)',
    { defaultText: 'in memory, nothing kept' },
  ),
  'history-on-join': valueFlag(
    count({ max: MAX_HISTORY_PAGE }),
    "lines of a room's history a client gets when it joins",
    {
      defaultText: `${DEFAULT_HISTORY_LINES} for v2 clients, 0 for v1`,
    },
  ),
  'keep-private': switchFlag('keep private messages (/msg) in the history too'),
  'history-max-lines': valueFlag(count({ min: 1 }), 'lines kept per room (oldest pruned first)', {
    default: DEFAULT_HISTORY_MAX_LINES,
  }),
  'history-max-age': valueFlag(historyAge, 'lines older than this are pruned (units ms, s, m, h, d)', {
    default: DEFAULT_HISTORY_MAX_AGE_MS,
  }),
  'send-threads': valueFlag(
    sendThreads,
    'hand every send to N native sender threads, so fan-out uses more cores than the event loop; ' +
      'needs the native addon; 0 sends on the event loop; auto: one per core beyond the first',
    { default: 0 },
  ),
  ...CLUSTER_FLAGS,
  ...V2_RELAY_FLAGS,
} as const;

export type RelayCommandLine = ParsedCommandLine<typeof RELAY_FLAGS>;

type CoreOptions = Omit<RelayOptions, 'isOwnAddress' | 'accounts' | 'registeredOnly' | 'store' | 'wallClock'>;

/** The core settings the flags give; each flag's default is the core's own. */
export function coreOptionsFromFlags({ flags }: RelayCommandLine): CoreOptions {
  return {
    idleTimeoutMs: flags['idle-timeout'],
    sweepIntervalMs: flags['sweep-interval'],
    keepalive: flags.keepalive,
    keepaliveIntervalMs: flags['keepalive-interval'],
    keepalivePongTimeoutMs: flags['keepalive-timeout'],
    keepaliveMisses: flags['keepalive-misses'],
    lineBurst: flags['line-burst'],
    lineRate: flags['line-rate'],
    maxPerAddress: flags['max-per-address'],
    joinBurst: flags['join-burst'],
    joinRate: flags['join-rate'],
    nickBurst: flags['nick-burst'],
    nickRate: flags['nick-rate'],
    keepRooms: flags.db !== undefined,
    keepPrivate: flags['keep-private'],
    // Given, it is for every client; left out, v1 clients get none (the seed's lines, exactly).
    ...(flags['history-on-join'] === undefined
      ? {}
      : { historyOnJoinV1: flags['history-on-join'], historyOnJoinV2: flags['history-on-join'] }),
  };
}

/** How much history the store keeps (`--history-max-lines`, `--history-max-age`). */
export function retentionFromFlags({ flags }: RelayCommandLine): { maxLines: number; maxAgeMs: number } {
  return { maxLines: flags['history-max-lines'], maxAgeMs: flags['history-max-age'] };
}

/** What the relay's Node host needs beyond the core: the metrics endpoint, logging, socket and threads. */
export interface RelayHostSettings {
  /** Where to serve /metrics and /healthz; undefined = no endpoint (the default). */
  readonly metrics: HttpAddress | undefined;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  /** Bytes; 0 leaves the kernel's default. */
  readonly recvBufferSize: number;
  readonly sendBufferSize: number;
  /** Sender threads asked for (0: send on the event loop). */
  readonly sendThreads: number;
  /** TCP and the web client, each undefined when off. */
  readonly streams: StreamListenOptions;
}

export function hostSettingsFromFlags(
  { flags }: RelayCommandLine,
  stdoutIsTerminal: boolean,
  cores: number = availableParallelism(),
): RelayHostSettings {
  const threads = flags['send-threads'];
  return {
    metrics: flags.metrics,
    logLevel: flags['log-level'],
    logFormat: flags['log-format'] ?? defaultLogFormat(stdoutIsTerminal),
    recvBufferSize: flags.rcvbuf,
    sendBufferSize: flags.sndbuf,
    sendThreads: threads === 'auto' ? autoSendThreads(cores) : threads,
    streams: streamOptionsFromFlags(flags),
  };
}

function streamOptionsFromFlags(flags: RelayCommandLine['flags']): StreamListenOptions {
  const origins = flags['web-origin'] ?? [];
  if (origins.length > 0 && flags.web === undefined)
    throw new UsageError('conflict', '--web-origin needs --web HOST:PORT');
  return {
    ...(flags['tcp-port'] === undefined ? {} : { tcpPort: flags['tcp-port'] }),
    ...(flags.web === undefined ? {} : { web: { host: flags.web.host, port: flags.web.port, origins } }),
  };
}
