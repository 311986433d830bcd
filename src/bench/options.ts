/**
 * `udpchat bench` settings: the flags parsed and checked once into one typed object (pure). A bad value is
 * a BenchOptionError naming the problem; the CLI turns it into a usage error (exit 2).
 */
import { isIP } from 'node:net';

export type RelayChoice =
  | { readonly kind: 'spawn'; readonly extraArgs: readonly string[] }
  | { readonly kind: 'command'; readonly command: readonly string[] }
  | {
      readonly kind: 'external';
      readonly host: string;
      readonly port: number;
      readonly pid: number | undefined;
    };

/**
 * How the generator reads its clients' sockets: the addon's recvmmsg ('native'), node:dgram ('node'), or
 * the addon when it is built ('auto').
 */
export type ReceiveChoice = 'auto' | 'native' | 'node';

export interface TrafficOptions {
  readonly mode: 'traffic';
  readonly relay: RelayChoice;
  readonly receive: ReceiveChoice;
  /** One client count, or several for a sweep (one chart line each). */
  readonly clients: readonly number[];
  /** undefined: min(clients, 10). */
  readonly senders: number | undefined;
  /** Lines per second in total; for a sweep the first rate (undefined: 10,000 offered deliveries/s). */
  readonly rate: number | undefined;
  readonly durationMs: number;
  readonly workers: number;
  readonly sweep: boolean;
  /** Sweep output files: <out>.md and <out>.svg. */
  readonly out: string;
  readonly json: boolean;
}

export interface IdleOptions {
  readonly mode: 'idle';
  readonly relay: RelayChoice;
  readonly receive: ReceiveChoice;
  readonly clients: number;
  readonly windowMs: number;
  readonly pingIntervalMs: number;
  readonly roomSize: number;
  readonly json: boolean;
}

export type BenchOptions = TrafficOptions | IdleOptions;

export type BenchFlagValues = Readonly<Record<string, string | boolean | undefined>>;

export class BenchOptionError extends Error {
  override readonly name = 'BenchOptionError';
}

export const DEFAULTS = {
  clients: 10,
  maxDefaultSenders: 10,
  rate: 100,
  durationS: 10,
  windowS: 30,
  pingIntervalS: 10,
  roomSize: 20,
  out: 'bench-sweep',
} as const;

export function parseBenchOptions(values: BenchFlagValues, defaultWorkers: number): BenchOptions {
  const relay = parseRelayChoice(values);
  const receive = parseReceive(values);
  const json = values.json === true;
  const idle = stringValue(values, 'idle-clients');
  if (idle !== undefined) {
    for (const flag of ['clients', 'senders', 'rate', 'duration', 'sweep', 'workers', 'out'])
      if (values[flag] !== undefined) throw new BenchOptionError(`--${flag} does not go with --idle-clients`);
    return {
      mode: 'idle',
      relay,
      receive,
      clients: wholeNumber(idle, '--idle-clients', 1),
      windowMs: seconds(values, 'window', DEFAULTS.windowS),
      pingIntervalMs: seconds(values, 'ping-interval', DEFAULTS.pingIntervalS),
      roomSize: wholeNumber(stringValue(values, 'room-size') ?? String(DEFAULTS.roomSize), '--room-size', 2),
      json,
    };
  }
  return { ...parseTraffic(values, relay, json, defaultWorkers), receive };
}

function parseReceive(values: BenchFlagValues): ReceiveChoice {
  const text = stringValue(values, 'receive') ?? 'auto';
  if (text === 'auto' || text === 'native' || text === 'node') return text;
  throw new BenchOptionError(`--receive must be auto, native or node, got "${text}"`);
}

function parseTraffic(
  values: BenchFlagValues,
  relay: RelayChoice,
  json: boolean,
  defaultWorkers: number,
): Omit<TrafficOptions, 'receive'> {
  for (const flag of ['window', 'ping-interval', 'room-size'])
    if (values[flag] !== undefined) throw new BenchOptionError(`--${flag} goes only with --idle-clients`);
  const sweep = values.sweep === true;
  const clients = (stringValue(values, 'clients') ?? String(DEFAULTS.clients))
    .split(',')
    .map((c) => wholeNumber(c.trim(), '--clients', 2));
  if (clients.length > 1 && !sweep) throw new BenchOptionError('several --clients counts need --sweep');
  const senders = stringValue(values, 'senders');
  const senderCount = senders === undefined ? undefined : wholeNumber(senders, '--senders', 1);
  if (senderCount !== undefined && senderCount > Math.min(...clients))
    throw new BenchOptionError(`--senders ${senderCount} is more than --clients ${Math.min(...clients)}`);
  const rate = stringValue(values, 'rate');
  return {
    mode: 'traffic',
    relay,
    clients,
    senders: senderCount,
    rate: rate === undefined ? (sweep ? undefined : DEFAULTS.rate) : positiveNumber(rate, '--rate'),
    durationMs: seconds(values, 'duration', DEFAULTS.durationS),
    workers: wholeNumber(stringValue(values, 'workers') ?? String(defaultWorkers), '--workers', 1),
    sweep,
    out: stringValue(values, 'out') ?? DEFAULTS.out,
    json,
  };
}

function parseRelayChoice(values: BenchFlagValues): RelayChoice {
  const relay = stringValue(values, 'relay');
  const command = stringValue(values, 'relay-cmd');
  const spawn = values.spawn === true;
  if ([relay !== undefined, command !== undefined, spawn].filter(Boolean).length !== 1)
    throw new BenchOptionError('choose one of --spawn, --relay-cmd CMD or --relay HOST:PORT');
  const pid = stringValue(values, 'relay-pid');
  if (pid !== undefined && relay === undefined) throw new BenchOptionError('--relay-pid goes with --relay');
  const extra = stringValue(values, 'relay-args');
  if (extra !== undefined && !spawn) throw new BenchOptionError('--relay-args goes with --spawn');
  if (spawn) return { kind: 'spawn', extraArgs: words(extra ?? '') };
  if (command !== undefined) {
    const parts = words(command);
    if (parts.length === 0) throw new BenchOptionError('--relay-cmd is empty');
    return { kind: 'command', command: parts };
  }
  const { host, port } = parseHostPort(relay ?? '');
  return {
    kind: 'external',
    host,
    port,
    pid: pid === undefined ? undefined : wholeNumber(pid, '--relay-pid', 1),
  };
}

/** HOST:PORT with an IPv4 literal (the bench binds IPv4 sockets); "localhost" is 127.0.0.1. */
export function parseHostPort(text: string): { host: string; port: number } {
  const match = /^(.+):(\d{1,5})$/.exec(text);
  const host = match?.[1] === 'localhost' ? '127.0.0.1' : match?.[1];
  const port = Number(match?.[2]);
  if (host === undefined || isIP(host) !== 4 || !(port >= 1 && port <= 65535))
    throw new BenchOptionError(`--relay must be IPV4:PORT, e.g. 127.0.0.1:9999, got "${text}"`);
  return { host, port };
}

function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}

function stringValue(values: BenchFlagValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function wholeNumber(text: string, what: string, min: number): number {
  if (!/^\d{1,9}$/.test(text) || Number(text) < min)
    throw new BenchOptionError(`${what} must be a whole number >= ${min}, got "${text}"`);
  return Number(text);
}

function positiveNumber(text: string, what: string): number {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(value > 0))
    throw new BenchOptionError(`${what} must be a number > 0, got "${text}"`);
  return value;
}

function seconds(values: BenchFlagValues, name: string, fallback: number): number {
  const text = stringValue(values, name);
  return (text === undefined ? fallback : positiveNumber(text, `--${name}`)) * 1000;
}
