/** `udpchat chaos` flags and the proxy settings they make. */

import type { FaultSettings } from '../chaos/fault-model.ts';
import { MAX_SEED } from '../chaos/prng.ts';
import {
  type ChaosSettings,
  DEFAULT_LISTEN_HOST,
  DEFAULT_MAPPING_TIMEOUT_MS,
  DEFAULT_MAX_MAPPINGS,
  DEFAULT_STALL_MS,
  defaultReorderHoldMs,
  MAX_FAULT_DELAY_MS,
  MAX_MAPPING_TIMEOUT_MS,
  MAX_MAX_MAPPINGS,
  type MulticastChaosSettings,
} from '../chaos/settings.ts';
import type { TcpChaosSettings } from '../chaos/tcp-chaos-proxy.ts';
import { type Address, addressKey } from '../protocol/address.ts';
import { type ParsedCommandLine, parseCommandLine, rejectGivenFlags } from './flag-parser.ts';
import { switchFlag, valueFlag } from './flag-table.ts';
import { UsageError } from './usage-error.ts';
import {
  count,
  duration,
  hostPort,
  ipAddress,
  ipv4Address,
  multicastGroup,
  percentage,
  port,
} from './values.ts';

/** Fault delays: a plain number is milliseconds, as it always was (`--delay 20`). */
const delay = duration({ bare: 'ms', zero: true, maxMs: MAX_FAULT_DELAY_MS });

export const CHAOS_FLAGS = {
  listen: valueFlag(
    port(),
    'the port clients send to (0 picks a free one; the listening line says which); required without --multicast',
  ),
  to: valueFlag(
    hostPort({ hosts: 'ip', zeroPort: false }),
    'the server to forward to (an IP address; IPv6 as [::1]:9999); with --multicast, the group the peers hear',
    {
      required: true,
    },
  ),
  'listen-host': valueFlag(ipAddress, 'address to listen on (0.0.0.0 for other machines)', {
    default: DEFAULT_LISTEN_HOST,
    placeholder: 'H',
  }),
  loss: valueFlag(percentage, 'drop the datagram', { default: 0 }),
  dup: valueFlag(percentage, 'send a second copy, delayed independently', { default: 0 }),
  reorder: valueFlag(percentage, 'hold the datagram back by --reorder-hold so later ones overtake it', {
    default: 0,
  }),
  delay: valueFlag(delay, 'base one-way delay', { default: 0 }),
  jitter: valueFlag(delay, 'uniform spread +/- D around --delay, never below 0', { default: 0 }),
  'reorder-hold': valueFlag(delay, 'extra delay of a reordered datagram', {
    defaultText: '2 x jitter + 50ms: everything sent within 50ms after it overtakes it',
  }),
  seed: valueFlag(count({ max: MAX_SEED }), 'make the fault decisions reproducible', {
    defaultText: 'random, shown in the summary',
  }),
  'mapping-timeout': valueFlag(
    duration({ bare: 'ms', zero: false, maxMs: MAX_MAPPING_TIMEOUT_MS }),
    "close a client's mapping after this long without traffic",
    { default: DEFAULT_MAPPING_TIMEOUT_MS },
  ),
  'max-mappings': valueFlag(
    count({ min: 1, max: MAX_MAX_MAPPINGS }),
    'at most N clients at once; datagrams from more are refused',
    { default: DEFAULT_MAX_MAPPINGS },
  ),
  tcp: switchFlag(
    "forward TCP instead (a relay's --tcp-port or --web): delay, jitter and stalls, never loss or reordering",
  ),
  stall: valueFlag(percentage, 'with --tcp: hold a chunk back by --stall-time, and all behind it', {
    default: 0,
  }),
  'stall-time': valueFlag(delay, 'with --tcp: how long a stall holds the stream (a retransmission timeout)', {
    default: DEFAULT_STALL_MS,
  }),
  multicast: valueFlag(
    multicastGroup,
    'join this LAN chat group and send what is said there, with the faults, to the group at --to ' +
      '(where its peers listen: chat --listen-group)',
  ),
  interface: valueFlag(ipv4Address, 'with --multicast: the local address of the interface to use', {
    defaultText: "the kernel's route for the group",
  }),
  ttl: valueFlag(count({ max: 255 }), "with --multicast: the copies' IP_MULTICAST_TTL (0: this host)", {
    default: 1,
  }),
  trace: switchFlag('print every datagram and every fault decision on stderr'),
} as const;

export type ChaosCommandLine = ParsedCommandLine<typeof CHAOS_FLAGS>;

/** Flags of the multicast mode only. */
const MULTICAST_ONLY_FLAGS: readonly string[] = ['interface', 'ttl'];
/** Flags of the unicast proxies (a listening port, mappings, streams): the multicast one has none of them. */
const UNICAST_ONLY_FLAGS: readonly string[] = [
  'listen',
  'listen-host',
  'mapping-timeout',
  'max-mappings',
  'tcp',
  'stall',
  'stall-time',
];

export function chaosSettingsFromFlags(commandLine: ChaosCommandLine): ChaosSettings {
  const { flags } = commandLine;
  return {
    listen: listenAddress(commandLine),
    target: flags.to,
    faults: datagramFaults(commandLine),
    seed: flags.seed,
    mappingTimeoutMs: flags['mapping-timeout'],
    maxMappings: flags['max-mappings'],
  };
}

/** `--multicast`: the group heard, the group the copies go to (where the peers listen), the faults. */
export function multicastChaosSettingsFromFlags(commandLine: ChaosCommandLine): MulticastChaosSettings {
  const { flags, given } = commandLine;
  const group = flags.multicast;
  if (group === undefined) throw new UsageError('missing-flag', `--multicast GROUP:PORT is required`);
  rejectGivenFlags(given, UNICAST_ONLY_FLAGS, 'does not go with --multicast (the proxy joins the group)');
  const target = multicastGroup.parse(addressKey(flags.to), '--to');
  if (addressKey(target) === addressKey(group))
    throw new UsageError(
      'conflict',
      '--to must be another group or port than --multicast: the peers listen there (chat --listen-group)',
    );
  return {
    group,
    target,
    interfaceAddress: flags.interface ?? null,
    ttl: flags.ttl,
    faults: datagramFaults(commandLine),
    seed: flags.seed,
  };
}

/** `--tcp`: the stream proxy's settings; a datagram fault on a stream is a usage error. */
export function tcpChaosSettingsFromFlags(commandLine: ChaosCommandLine): TcpChaosSettings {
  const { flags } = commandLine;
  for (const name of ['loss', 'dup', 'reorder'] as const)
    if (flags[name] > 0)
      throw new UsageError(
        'conflict',
        `--${name} needs datagrams: a TCP stream never loses, duplicates or reorders`,
      );
  return {
    listen: listenAddress(commandLine),
    target: flags.to,
    faults: {
      delayMs: flags.delay,
      jitterMs: flags.jitter,
      stall: flags.stall,
      stallMs: flags['stall-time'],
    },
    seed: flags.seed,
  };
}

/** --listen (required by both unicast proxies) and --listen-host; --interface and --ttl are refused. */
function listenAddress({ flags, given }: ChaosCommandLine): Address {
  rejectGivenFlags(given, MULTICAST_ONLY_FLAGS, 'needs --multicast');
  if (flags.listen === undefined)
    throw new UsageError('missing-flag', '--listen PORT is required (see udpchat chaos --help)');
  return { host: flags['listen-host'], port: flags.listen };
}

function datagramFaults({ flags }: ChaosCommandLine): FaultSettings {
  return {
    loss: flags.loss,
    duplicate: flags.dup,
    reorder: flags.reorder,
    delayMs: flags.delay,
    jitterMs: flags.jitter,
    reorderHoldMs: flags['reorder-hold'] ?? defaultReorderHoldMs(flags.jitter),
  };
}

function parseChaos(args: readonly string[]): ChaosCommandLine {
  return parseCommandLine({ name: 'chaos', flags: CHAOS_FLAGS }, args);
}

/** The settings `udpchat chaos <args>` would run with; a UsageError if it would refuse them. */
export function chaosSettingsFromArgs(args: readonly string[]): ChaosSettings {
  return chaosSettingsFromFlags(parseChaos(args));
}

/** The settings `udpchat chaos --multicast G:P <args>` would run with. */
export function multicastChaosSettingsFromArgs(args: readonly string[]): MulticastChaosSettings {
  return multicastChaosSettingsFromFlags(parseChaos(args));
}
