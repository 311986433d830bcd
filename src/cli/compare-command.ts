/**
 * `udpchat compare`: the same scripted conversation over UDP v1, UDP v2, TCP and WebSocket through the same
 * fault model, as a table and an SVG chart. With real loss (a network namespace) it re-runs itself inside
 * the namespace it made, and deletes the namespace afterwards whatever happened.
 */
import { writeFile } from 'node:fs/promises';
import {
  createLossyNamespace,
  deleteNamespace,
  namespaceName,
  netnsUnavailable,
  runInside,
} from '../compare/netns.ts';
import { formatCompareSvg } from '../compare/report-svg.ts';
import { formatCompareTable } from '../compare/report-text.ts';
import { runComparison } from '../compare/run.ts';
import type { FaultModel } from '../compare/settings.ts';
import { defineCommand } from './command.ts';
import { COMPARE_FLAGS, type CompareCommandLine, compareSettingsFromFlags } from './compare-flags.ts';
import { UsageError } from './usage-error.ts';

export const compareCommand = defineCommand({
  name: 'compare',
  summary:
    'Run one conversation over UDP v1, UDP v2, TCP and WebSocket through one fault model; table and chart.',
  description: `Starts a relay per transport, joins --clients clients over it, has each send --lines lines
    at --rate per second, and reports what arrived: lines lost, duplicated and out of order, latency (p50,
    p99, max), the relay's memory per idle client and CPU per delivery, and how long the others take to
    hear that a client vanished (closed without /leave) or was cut off (every packet dropped). It prints a
    table, names the fault model that ran, and writes an SVG chart to --out.`,
  flags: COMPARE_FLAGS,
  notes: `The netns model needs root, ip and iptables: it makes a network namespace (udpchat-cmp-<pid>-<hex>)
    whose loopback drops --loss of all packets, runs everything inside it on 127.0.0.1, and deletes it at
    the end. Elsewhere (or with --fault-model chaos) the chaos proxies stand in: UDP datagrams are lost and
    delayed, TCP streams delayed and stalled, and the output says so. P is a percentage (5%) or a fraction.`,
  run: runCompare,
});

async function runCompare(commandLine: CompareCommandLine): Promise<number> {
  const { flags } = commandLine;
  const settings = compareSettingsFromFlags(commandLine);
  const progress = (line: string): void => {
    process.stderr.write(`compare: ${line}\n`);
  };
  if (flags['inside-namespace']) return report(commandLine, await runComparison(settings, 'netns', progress));
  const model = chooseModel(flags['fault-model'], progress);
  if (model === 'chaos') return report(commandLine, await runComparison(settings, 'chaos', progress));
  const name = namespaceName();
  createLossyNamespace(name, settings.loss);
  progress(`network namespace ${name}: loopback drops ${settings.loss * 100}% of packets`);
  try {
    // The same command line again, inside; a seed drawn here is passed on so the run reports one to repeat.
    const seed = flags.seed === undefined ? ['--seed', String(settings.seed)] : [];
    const argv = [
      process.execPath,
      ...process.execArgv,
      ...process.argv.slice(1),
      ...seed,
      '--inside-namespace',
    ];
    return await runInside(name, argv);
  } finally {
    deleteNamespace(name);
    progress(`network namespace ${name} deleted`);
  }
}

function chooseModel(asked: 'auto' | 'netns' | 'chaos', progress: (line: string) => void): FaultModel {
  if (asked === 'chaos') return 'chaos';
  const missing = netnsUnavailable();
  if (missing === null) return 'netns';
  if (asked === 'netns') throw new UsageError('conflict', `--fault-model netns cannot run here: ${missing}`);
  progress(`real packet loss needs a network namespace (${missing}): using the chaos proxies instead`);
  return 'chaos';
}

async function report(
  commandLine: CompareCommandLine,
  run: Awaited<ReturnType<typeof runComparison>>,
): Promise<number> {
  const { flags } = commandLine;
  await writeFile(flags.out, formatCompareSvg(run));
  process.stdout.write(flags.json ? `${JSON.stringify(run, null, 2)}\n` : `${formatCompareTable(run)}\n`);
  process.stderr.write(`compare: chart written to ${flags.out}\n`);
  return 0;
}
