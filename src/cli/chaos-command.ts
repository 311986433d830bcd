/** `udpchat chaos`: a lossy-network simulator between chat clients and a relay, until SIGINT/SIGTERM. */
import { ChaosProxy, type ChaosStats, type DirectionStats } from '../chaos/chaos-proxy.ts';
import { ChaosOptionError, type ChaosSettings, parseChaosOptions } from '../chaos/options.ts';
import { addressKey } from '../protocol/address.ts';
import { parseFlags } from './parse-flags.ts';
import { UsageError } from './usage-error.ts';

const FLAGS = {
  listen: { type: 'string' },
  'listen-host': { type: 'string' },
  to: { type: 'string' },
  loss: { type: 'string' },
  dup: { type: 'string' },
  reorder: { type: 'string' },
  delay: { type: 'string' },
  jitter: { type: 'string' },
  'reorder-hold': { type: 'string' },
  seed: { type: 'string' },
  'mapping-timeout': { type: 'string' },
  'max-mappings': { type: 'string' },
  trace: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const CHAOS_HELP_TEXT = `Usage:
  udpchat chaos --listen PORT --to HOST:PORT [--loss P] [--dup P] [--reorder P] [--delay D]
                [--jitter D] [--reorder-hold D] [--seed N] [--listen-host H]
                [--mapping-timeout D] [--max-mappings N] [--trace]

Forwards UDP datagrams between clients and the server at --to, both ways, with simulated faults.
Each client gets its own upstream socket (a fresh ephemeral port, like a NAT mapping); the server's
replies on it go back to that client. Every fault is decided per datagram and per direction.

  --listen PORT          port clients send to (0 picks a free one; the line "chaos listening on
                         udp/<port> -> <host>:<port>" says which)
  --to HOST:PORT         the server (an IP address; IPv6 as [::1]:9999)
  --listen-host H        address to listen on (default 127.0.0.1; 0.0.0.0 for other machines)
  --loss P               drop the datagram (default 0%)
  --dup P                send a second copy, delayed independently (default 0%)
  --reorder P            hold the datagram back by --reorder-hold so later ones overtake it (default 0%)
  --delay D              base one-way delay (default 0ms)
  --jitter D             uniform spread +/- D around --delay, never below 0 (default 0ms)
  --reorder-hold D       extra delay of a reordered datagram (default 2 x jitter + 50ms: everything
                         sent within 50ms after it overtakes it)
  --seed N               make the fault decisions reproducible (0-4294967295; default random, shown
                         in the summary)
  --mapping-timeout D    close a client's mapping after this long without traffic (default 60s)
  --max-mappings N       at most N clients at once; datagrams from more are refused (default 1024)
  --trace                print every datagram and every fault decision on stderr

P is a percentage (10%) or a fraction (0.1). D is a duration: 20ms, 0.5s, or a plain number of ms.
On SIGINT/SIGTERM it prints one summary line of counts per direction and exits 0.
`;

/** A hard stop in case closing the sockets hangs. */
const EXIT_DEADLINE_MS = 1_800;

export async function runChaos(args: string[]): Promise<number> {
  const flags = parseFlags(args, FLAGS, 0);
  if (flags.values.help === true) {
    process.stdout.write(CHAOS_HELP_TEXT);
    return 0;
  }
  const settings = settingsFrom(flags.values);
  const trace = flags.values.trace === true ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
  const proxy = await ChaosProxy.start(settings, trace === undefined ? {} : { trace });
  process.stdout.write(`chaos listening on udp/${proxy.address.port} -> ${addressKey(settings.target)}\n`);
  await signalled();
  setTimeout(() => process.exit(0), EXIT_DEADLINE_MS).unref();
  await proxy.stop();
  process.stdout.write(`${formatChaosSummary(proxy.stats, proxy.seed)}\n`);
  return 0;
}

function settingsFrom(values: Parameters<typeof parseChaosOptions>[0]): ChaosSettings {
  try {
    return parseChaosOptions(values);
  } catch (error) {
    if (error instanceof ChaosOptionError) throw new UsageError(error.message);
    throw error;
  }
}

function signalled(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/**
 * e.g. `chaos summary: up received=10 forwarded=9 dropped=1 duplicated=0 reordered=0; down ...;
 * mappings opened=1 expired=0 failed=0 refused=0; seed=42` (one line; refused counts datagrams).
 */
export function formatChaosSummary(stats: ChaosStats, seed: number): string {
  return (
    `chaos summary: up ${formatDirection(stats.up)}; down ${formatDirection(stats.down)}; ` +
    `mappings opened=${stats.mappingsOpened} expired=${stats.mappingsExpired} failed=${stats.mappingFailures} ` +
    `refused=${stats.refused}; ` +
    `seed=${seed}`
  );
}

function formatDirection(stats: DirectionStats): string {
  return (
    `received=${stats.received} forwarded=${stats.forwarded} dropped=${stats.dropped} ` +
    `duplicated=${stats.duplicated} reordered=${stats.reordered}`
  );
}
