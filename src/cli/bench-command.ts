/**
 * `udpchat bench`: a load generator and report for a relay (ours, the seed's, or one already running).
 * Traffic runs measure delivery, loss, latency and CPU cost; --sweep searches the highest rate with under
 * 1 % loss; --idle-clients measures the cost of many joined but quiet clients.
 */
import { availableParallelism } from 'node:os';
import { runIdle } from '../bench/idle.ts';
import { BenchOptionError, type BenchOptions, parseBenchOptions } from '../bench/options.ts';
import { formatIdleText } from '../bench/report/report-idle.ts';
import { formatTrafficText } from '../bench/report/report-text.ts';
import { writeSweepFiles } from '../bench/report/sweep-files.ts';
import { runTraffic } from '../bench/run.ts';
import { parseFlags } from './parse-flags.ts';
import { UsageError } from './usage-error.ts';

const FLAGS = {
  spawn: { type: 'boolean' },
  relay: { type: 'string' },
  'relay-pid': { type: 'string' },
  'relay-cmd': { type: 'string' },
  'relay-args': { type: 'string' },
  clients: { type: 'string' },
  senders: { type: 'string' },
  rate: { type: 'string' },
  duration: { type: 'string' },
  workers: { type: 'string' },
  sweep: { type: 'boolean' },
  out: { type: 'string' },
  'idle-clients': { type: 'string' },
  window: { type: 'string' },
  'ping-interval': { type: 'string' },
  'room-size': { type: 'string' },
  receive: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const BENCH_HELP_TEXT = `Usage:
  udpchat bench (--spawn | --relay-cmd CMD | --relay HOST:PORT [--relay-pid PID])
                [--clients N] [--senders S] [--rate R] [--duration D] [--workers W]
                [--receive auto|native|node] [--json]
  udpchat bench ... --sweep [--clients N,N,...] [--rate R] [--duration D] [--out PREFIX]
  udpchat bench ... --idle-clients N [--window D] [--ping-interval D] [--room-size N]

Joins N clients to a relay, has S of them send R lines per second in total for D seconds, and reports
lines sent, expected and received deliveries, loss, deliveries per second, one-way latency (p50, p99,
max), out-of-order and duplicate counts, and the CPU time of the relay and of the load generator.
A delivery more than 100 ms late counts as lost.

  --spawn              start our relay (127.0.0.1, a free port, flood limits off) and stop it after
  --relay-args ARGS    extra flags for the spawned relay, e.g. "--idle-timeout 60"
  --relay-cmd CMD      start another relay, e.g. "python3 relay.py" (split on spaces, no shell); it
                       must print "udp/<port>" on stdout
  --relay HOST:PORT    a relay already running (an IPv4 address); --relay-pid PID to measure its CPU
  --clients N          clients, all in #lobby (default 10); a list for --sweep: 10,100,1000
  --senders S          how many of them send (default min(N, 10))
  --rate R             lines per second in total (default 100; for --sweep the first rate, default
                       10,000 deliveries per second)
  --duration D         seconds of sending per step (default 10)
  --workers W          generator processes (default: the number of CPUs)
  --sweep              raise the rate by 1.5x until loss reaches 1 %, then narrow down to 5 %; writes
                       PREFIX.md (a table) and PREFIX.svg (a chart); --out PREFIX (default bench-sweep)
  --idle-clients N     join N clients that only ping (spread over processes and 127.0.0.2...), then
                       report the relay's memory and CPU over --window D seconds (default 30)
  --ping-interval D    seconds between each idle client's pings (default 10)
  --room-size N        idle clients are parked in rooms of N (default 20), so joins are not N^2
  --receive HOW        how the generator reads its client sockets: native (the addon's recvmmsg, many
                       datagrams per call), node (node:dgram, one event per datagram, about 2.5 us of
                       CPU each: enough to make the generator the bottleneck), or auto (native when
                       the addon is built; the default)
  --json               print the results as JSON

The relay's own flood limits must be off for load (--spawn does that): --line-rate 0
--max-per-address 0 --join-rate 0 --nick-rate 0.
`;

export async function runBench(args: string[]): Promise<number> {
  const flags = parseFlags(args, FLAGS, 0);
  if (flags.values.help === true) {
    process.stdout.write(BENCH_HELP_TEXT);
    return 0;
  }
  const options = readOptions(flags.values);
  const log = (line: string): void => {
    process.stderr.write(`bench: ${line}\n`);
  };
  if (options.mode === 'idle') {
    const result = await runIdle(options, log);
    process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatIdleText(result));
    return 0;
  }
  const series = await runTraffic(options, log);
  if (options.sweep) for (const file of await writeSweepFiles(series, options.out)) log(`wrote ${file}`);
  process.stdout.write(options.json ? `${JSON.stringify({ series }, null, 2)}\n` : formatTrafficText(series));
  return 0;
}

function readOptions(values: Readonly<Record<string, string | boolean | undefined>>): BenchOptions {
  try {
    return parseBenchOptions(values, availableParallelism());
  } catch (error) {
    if (error instanceof BenchOptionError) throw new UsageError(error.message);
    throw error;
  }
}
