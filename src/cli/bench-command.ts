/**
 * `udpchat bench`: a load generator and report for a relay (ours, the seed's, or one already running).
 * Traffic runs measure delivery, loss, latency and CPU cost; --sweep searches the highest rate with under
 * 1 % loss; --idle-clients measures the cost of many joined but quiet clients.
 */
import { availableParallelism } from 'node:os';
import { failoverVerdict, runFailoverBench } from '../bench/failover/failover-bench.ts';
import { formatHandshakeBench, runHandshakeBench } from '../bench/handshake/handshake-bench.ts';
import { runIdle } from '../bench/idle.ts';
import { formatLanBench, runLanBench } from '../bench/lan/lan-bench.ts';
import { formatFailoverText } from '../bench/report/report-failover.ts';
import { formatIdleText } from '../bench/report/report-idle.ts';
import { formatTrafficText } from '../bench/report/report-text.ts';
import { writeSweepFiles } from '../bench/report/sweep-files.ts';
import { runTraffic } from '../bench/run.ts';
import { formatHistoryBench, runHistoryBench } from '../bench/store/history-bench.ts';
import { BENCH_FLAGS, type BenchCommandLine, benchOptionsFromFlags } from './bench-flags.ts';
import { defineCommand } from './command.ts';

export const benchCommand = defineCommand({
  name: 'bench',
  summary: 'Load a relay and report deliveries, loss, latency and CPU.',
  synopsis: [
    'bench (--spawn | --relay-cmd CMD | --relay HOST:PORT [--relay-pid PID]) [--clients N] [--senders S] ' +
      '[--rate R] [--duration D] [--workers W] [--receive auto|native|node] [--json]',
    'bench ... --sweep [--clients N,N,...] [--rate R] [--duration D] [--out PREFIX]',
    'bench ... --idle-clients N [--window D] [--ping-interval D] [--room-size N]',
    'bench --multicast GROUP:PORT [--clients N,N,...] [--rate R] [--duration D] [--workers W] [--json]',
    'bench --history-lines N [--json]',
    'bench --failover N [--relays 2|3] [--clients C] [--senders S] [--json]',
    'bench --handshakes N [--json]',
  ],
  description: `Joins N clients to a relay, has S of them send R lines per second in total for D seconds,
    and reports lines sent, expected and received deliveries, loss, deliveries per second, one-way latency
    (p50, p99, max), out-of-order and duplicate counts, and the CPU time of the relay and of the load
    generator. A delivery more than 100 ms late counts as lost.`,
  flags: BENCH_FLAGS,
  notes: `D is a duration: 500ms, 1.5s, 2m, or a plain number of seconds. The relay's own flood limits must
    be off for load (--spawn does that): --line-rate 0 --max-per-address 0 --join-rate 0 --nick-rate 0.`,
  run: runBench,
});

async function runBench(commandLine: BenchCommandLine): Promise<number> {
  const options = benchOptionsFromFlags(commandLine, availableParallelism());
  const log = (line: string): void => {
    process.stderr.write(`bench: ${line}\n`);
  };
  if (options.mode === 'lan') {
    const results = await runLanBench(options, log);
    process.stdout.write(
      options.json ? `${JSON.stringify({ lan: results }, null, 2)}\n` : formatLanBench(results),
    );
    return 0;
  }
  if (options.mode === 'handshakes') {
    const result = runHandshakeBench(options);
    process.stdout.write(
      options.json ? `${JSON.stringify(result, null, 2)}\n` : formatHandshakeBench(result),
    );
    return 0;
  }
  if (options.mode === 'history') {
    const result = await runHistoryBench(options, log);
    process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatHistoryBench(result));
    return 0;
  }
  if (options.mode === 'failover') {
    const result = await runFailoverBench(options, log);
    process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatFailoverText(result));
    return failoverVerdict(result, log);
  }
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
