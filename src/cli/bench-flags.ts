/**
 * `udpchat bench` flags and the run they describe: a traffic run (or a sweep of them) or an idle run. The
 * table parses each value; what is left here is which flags go together.
 */
import {
  type BenchOptions,
  DEFAULTS,
  type FailoverBenchOptions,
  type RelayChoice,
  type TrafficOptions,
} from '../bench/options.ts';
import { type ParsedCommandLine, parseCommandLine } from './flag-parser.ts';
import { switchFlag, valueFlag } from './flag-table.ts';
import { UsageError } from './usage-error.ts';
import { choice, count, duration, hostPort, listOf, multicastGroup, rate, text, words } from './values.ts';

/** The bench's durations: a plain number is seconds (`--duration 10`). */
const span = duration({ bare: 's', zero: false });
/** `--relays`: more relays than this on one machine measure the machine, not the cluster. */
const MAX_BENCH_RELAYS = 16;
/** `--failover`: each kill takes a few seconds; more than this is a soak test, not a benchmark. */
const MAX_FAILOVER_KILLS = 200;
/** `--failover` clients all sit on the relay killed: past this the figure is the machine's, not the move's. */
const MAX_FAILOVER_CLIENTS = 100;
/** `--failover` relays: the one killed, one for its clients to move to and the observer, maybe a third. */
const FAILOVER_RELAYS = { min: 2, max: 3 } as const;

export const BENCH_FLAGS = {
  spawn: switchFlag('start our relay (127.0.0.1, a free port, flood limits off) and stop it after'),
  'relay-args': valueFlag(words('ARGS'), 'extra flags for the spawned relay, e.g. "--idle-timeout 60"'),
  'relay-cmd': valueFlag(
    words('CMD'),
    'start another relay, e.g. "python3 relay.py" (split on spaces, no shell); it must print ' +
      '"udp/<port>" on stdout',
  ),
  relay: valueFlag(hostPort({ hosts: 'ipv4', zeroPort: false }), 'a relay already running (an IPv4 address)'),
  'relay-pid': valueFlag(count({ min: 1 }), "with --relay: the relay's process, to measure its CPU", {
    placeholder: 'PID',
  }),
  clients: valueFlag(listOf(count({ min: 2 })), 'clients, all in #lobby; a list for --sweep: 10,100,1000', {
    default: [DEFAULTS.clients],
    placeholder: 'N',
  }),
  relays: valueFlag(
    listOf(count({ min: 1, max: MAX_BENCH_RELAYS })),
    'with --spawn: run each series on N relays in one cluster (a Redis the bench starts, clients spread ' +
      'evenly, so most deliveries cross relays); a list runs each in turn: 1,2,3',
    { default: [1], placeholder: 'N' },
  ),
  senders: valueFlag(count({ min: 1 }), 'how many of them send', {
    placeholder: 'S',
    defaultText: `min(N, ${DEFAULTS.maxDefaultSenders})`,
  }),
  rate: valueFlag(rate({ positive: true }), 'lines per second in total', {
    defaultText: `${DEFAULTS.rate}; for --sweep the first rate, 10,000 deliveries per second`,
  }),
  duration: valueFlag(span, 'sending time per step', { default: DEFAULTS.durationS * 1_000 }),
  workers: valueFlag(count({ min: 1 }), 'generator processes', {
    placeholder: 'W',
    defaultText: 'one per CPU',
  }),
  sweep: switchFlag(
    'raise the rate by 1.5x until loss reaches 1 %, then narrow down to 5 %; writes PREFIX.md (a table) ' +
      'and PREFIX.svg (a chart)',
  ),
  out: valueFlag(text('PREFIX'), 'where --sweep writes its files', { default: DEFAULTS.out }),
  'idle-clients': valueFlag(
    count({ min: 1 }),
    "join N clients that only ping (spread over processes and 127.0.0.2...), then report the relay's " +
      'memory and CPU over --window',
  ),
  window: valueFlag(span, 'how long an idle run measures', { default: DEFAULTS.windowS * 1_000 }),
  'ping-interval': valueFlag(span, "time between each idle client's pings", {
    default: DEFAULTS.pingIntervalS * 1_000,
  }),
  'room-size': valueFlag(count({ min: 2 }), 'idle clients are parked in rooms of N, so joins are not N^2', {
    default: DEFAULTS.roomSize,
  }),
  transport: valueFlag(
    listOf(choice(['udp', 'v2', 'tcp', 'ws'])),
    "what the clients speak: v1 datagrams, protected v2 on the same UDP port, v1 lines over the relay's " +
      'TCP port, or over its WebSocket; a list runs each in turn (a fresh relay each): udp,v2,tcp,ws',
    { default: ['udp'] },
  ),
  store: valueFlag(
    listOf(choice(['memory', 'db'])),
    'where the spawned relay keeps history: memory (no --db) or db (--db, a fresh SQLite file in a ' +
      'temporary directory); a list runs each in turn, a fresh relay each, so memory,db,memory,db ' +
      'compares the two in one run',
    { default: ['memory'] },
  ),
  receive: valueFlag(
    choice(['auto', 'native', 'node']),
    "how the generator reads its client sockets: native (the addon's recvmmsg, many datagrams per " +
      'call), node (node:dgram, one event per datagram, about 2.5 us of CPU each: enough to make the ' +
      'generator the bottleneck), or auto (native when the addon is built)',
    { default: 'auto' },
  ),
  json: switchFlag('print the results as JSON'),
  'history-lines': valueFlag(
    count({ min: 1 }),
    'no traffic: fill a fresh database with N room lines, then time /history, its size, opening it and a ' +
      'relay starting on it (1000000 for the documented figures)',
  ),
  failover: valueFlag(
    count({ min: 1, max: MAX_FAILOVER_KILLS }),
    'kill a relay N times (20 or more for the documented figures) in a cluster the bench starts ' +
      '(redis-server and --relays relays, 2 by default, or 3); --clients v2 clients on the relay killed ' +
      `(${DEFAULTS.failoverClients} by default), --senders of them talking, report kill-to-resumed p50/p99/max`,
    { placeholder: 'N' },
  ),
  handshakes: valueFlag(
    count({ min: 1 }),
    'no relay process: time N protected-v2 handshakes against the relay endpoint in this process, one ' +
      'core (2000 for the documented figures)',
  ),
  multicast: valueFlag(
    multicastGroup,
    'no relay: --clients serverless LAN peers on loopback multicast in this group (a list such as 10,50 ' +
      'runs each, on the next ports); --rate is lines per second over all peers (default 3 per peer)',
  ),
} as const;

export type BenchCommandLine = ParsedCommandLine<typeof BENCH_FLAGS>;
type BenchFlagName = keyof typeof BENCH_FLAGS;

const TRAFFIC_ONLY: readonly BenchFlagName[] = [
  'store',
  'relays',
  'clients',
  'senders',
  'rate',
  'duration',
  'sweep',
  'workers',
  'out',
];
const IDLE_ONLY: readonly BenchFlagName[] = ['window', 'ping-interval', 'room-size'];
/** What a failover run takes: it starts its own cluster, so no relay choice. */
const FAILOVER_FLAGS: readonly BenchFlagName[] = ['failover', 'relays', 'clients', 'senders', 'json'];
/** What a LAN run (no relay) takes; every other flag is about a relay. */
const LAN_FLAGS: readonly BenchFlagName[] = ['multicast', 'clients', 'rate', 'duration', 'workers', 'json'];

export function benchOptionsFromFlags(commandLine: BenchCommandLine, defaultWorkers: number): BenchOptions {
  const { flags, given } = commandLine;
  if (flags.multicast !== undefined) return lanOptions(commandLine, flags.multicast, defaultWorkers);
  const handshakes = flags.handshakes;
  if (handshakes !== undefined) {
    for (const flag of given)
      if (flag !== 'handshakes' && flag !== 'json')
        throw new UsageError('conflict', `--${flag} does not go with --handshakes`);
    return { mode: 'handshakes', handshakes, json: flags.json };
  }
  const historyLines = flags['history-lines'];
  if (historyLines !== undefined) {
    for (const flag of given)
      if (flag !== 'history-lines' && flag !== 'json')
        throw new UsageError('conflict', `--${flag} does not go with --history-lines`);
    return { mode: 'history', lines: historyLines, json: flags.json };
  }
  if (flags.failover !== undefined) return failoverOptions(commandLine, flags.failover);
  const relay = relayChoice(commandLine);
  const idleClients = flags['idle-clients'];
  if (idleClients === undefined) return trafficOptions(commandLine, relay, defaultWorkers);
  for (const flag of TRAFFIC_ONLY)
    if (given.has(flag)) throw new UsageError('conflict', `--${flag} does not go with --idle-clients`);
  const [transport = 'udp', ...more] = flags.transport;
  if (more.length > 0) throw new UsageError('conflict', '--idle-clients measures one --transport at a time');
  return {
    mode: 'idle',
    relay,
    receive: flags.receive,
    transport,
    clients: idleClients,
    windowMs: flags.window,
    pingIntervalMs: flags['ping-interval'],
    roomSize: flags['room-size'],
    json: flags.json,
  };
}

function trafficOptions(
  { flags, given }: BenchCommandLine,
  relay: RelayChoice,
  defaultWorkers: number,
): TrafficOptions {
  for (const flag of IDLE_ONLY)
    if (given.has(flag)) throw new UsageError('conflict', `--${flag} goes only with --idle-clients`);
  const { clients, senders, sweep } = flags;
  if (clients.length > 1 && !sweep) throw new UsageError('conflict', 'several --clients counts need --sweep');
  const fewest = Math.min(...clients);
  if (senders !== undefined && senders > fewest)
    throw new UsageError('conflict', `--senders ${senders} is more than --clients ${fewest}`);
  if (relay.kind !== 'spawn' && flags.store.some((store) => store !== 'memory'))
    throw new UsageError('conflict', '--store db goes with --spawn');
  const clustered = flags.relays.some((count) => count > 1);
  if (clustered && relay.kind !== 'spawn') throw new UsageError('conflict', '--relays N goes with --spawn');
  if (clustered && (flags.transport.some((t) => t !== 'udp') || flags.store.some((s) => s !== 'memory')))
    throw new UsageError('conflict', '--relays N runs UDP clients on relays without --db');
  return {
    mode: 'traffic',
    relay,
    receive: flags.receive,
    transports: flags.transport,
    stores: flags.store,
    relays: flags.relays,
    clients,
    senders,
    rate: flags.rate ?? (sweep ? undefined : DEFAULTS.rate),
    durationMs: flags.duration,
    workers: flags.workers ?? defaultWorkers,
    sweep,
    out: flags.out,
    json: flags.json,
  };
}

function failoverOptions({ flags, given }: BenchCommandLine, kills: number): FailoverBenchOptions {
  for (const flag of given)
    if (!FAILOVER_FLAGS.includes(flag))
      throw new UsageError('conflict', `--${flag} does not go with --failover (it starts its own cluster)`);
  const [relays = DEFAULTS.failoverRelays, ...more] = given.has('relays') ? flags.relays : [];
  if (more.length > 0) throw new UsageError('conflict', '--failover takes one --relays count');
  if (relays < FAILOVER_RELAYS.min || relays > FAILOVER_RELAYS.max)
    throw new UsageError(
      'bad-value',
      `--failover needs --relays ${FAILOVER_RELAYS.min} or ${FAILOVER_RELAYS.max} (got ${relays})`,
    );
  const [clients = DEFAULTS.failoverClients, ...others] = given.has('clients') ? flags.clients : [];
  if (others.length > 0) throw new UsageError('conflict', '--failover takes one --clients count');
  if (clients > MAX_FAILOVER_CLIENTS)
    throw new UsageError('bad-value', `--failover takes at most ${MAX_FAILOVER_CLIENTS} --clients`);
  const senders = flags.senders ?? Math.ceil(clients / 2);
  if (senders > clients)
    throw new UsageError('conflict', `--senders ${senders} is more than --clients ${clients}`);
  return { mode: 'failover', kills, relays, senders, idle: clients - senders, json: flags.json };
}

function lanOptions(
  { flags, given }: BenchCommandLine,
  group: { readonly host: string; readonly port: number },
  defaultWorkers: number,
): BenchOptions {
  for (const flag of given)
    if (!LAN_FLAGS.includes(flag)) throw new UsageError('conflict', `--${flag} does not go with --multicast`);
  return {
    mode: 'lan',
    group,
    peers: flags.clients,
    rate: flags.rate,
    durationMs: flags.duration,
    workers: flags.workers ?? Math.min(defaultWorkers, 2),
    json: flags.json,
  };
}

function relayChoice({ flags }: BenchCommandLine): RelayChoice {
  const { relay, spawn } = flags;
  const command = flags['relay-cmd'];
  if ([relay !== undefined, command !== undefined, spawn].filter(Boolean).length !== 1)
    throw new UsageError('conflict', 'choose one of --spawn, --relay-cmd CMD or --relay HOST:PORT');
  const pid = flags['relay-pid'];
  if (pid !== undefined && relay === undefined)
    throw new UsageError('conflict', '--relay-pid goes with --relay');
  const extra = flags['relay-args'];
  if (extra !== undefined && !spawn) throw new UsageError('conflict', '--relay-args goes with --spawn');
  if (spawn) return { kind: 'spawn', extraArgs: extra ?? [] };
  if (command !== undefined) {
    if (command.length === 0) throw new UsageError('bad-value', '--relay-cmd is empty');
    return { kind: 'command', command };
  }
  if (relay === undefined)
    throw new UsageError('conflict', 'choose one of --spawn, --relay-cmd CMD or --relay HOST:PORT');
  return { kind: 'external', host: relay.host, port: relay.port, pid };
}

/** The run `udpchat bench <args>` would make; a UsageError if it would refuse them. */
export function benchOptionsFromArgs(args: readonly string[], defaultWorkers: number): BenchOptions {
  return benchOptionsFromFlags(parseCommandLine({ name: 'bench', flags: BENCH_FLAGS }, args), defaultWorkers);
}
