/**
 * `udpchat top --metrics HOST:PORT`: a live view of a running relay, read from its `/metrics` endpoint
 * (start the relay with `--metrics`). Full screen on a terminal; one plain snapshot per interval when
 * stdout is not a terminal; `--once` prints a single snapshot (two scrapes an interval apart, for rates).
 */
import type { ReadStream, WriteStream } from 'node:tty';
import { Monitor, sleep } from '../top/monitor.ts';
import { renderView } from '../top/render.ts';
import { metricsSourceUrl } from '../top/source-url.ts';
import { TopScreen } from '../top/top-screen.ts';
import type { TopView } from '../top/view-model.ts';
import { type ParsedFlags, parseFlags } from './parse-flags.ts';
import { parseSeconds, UsageError } from './usage-error.ts';

const TOP_FLAGS = {
  metrics: { type: 'string' },
  interval: { type: 'string' },
  once: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const TOP_HELP = `Usage: udpchat top --metrics HOST:PORT [--interval S] [--once]

A live view of a running relay started with "udpchat relay --metrics HOST:PORT": clients, rooms,
datagram, byte and line rates with a sparkline of the last minute, send errors, throttled lines,
refusals by reason, event-loop lag and the top talkers. q or Ctrl-C quits.
  --metrics HOST:PORT  the relay's metrics address (the printed http://.../metrics URL works too)
  --interval S         seconds between scrapes (default 1)
  --once               print one snapshot and exit (two scrapes, one interval apart, for the rates)
When stdout is not a terminal, a plain snapshot is printed every interval instead.
Exit codes: 0 on quit, 1 if --once could not reach the relay, 2 for a usage error.
`;

/** Plain snapshots need some width when stdout is a pipe and has none. */
const PLAIN_WIDTH = 100;

export async function runTop(args: string[]): Promise<number> {
  const flags = parseFlags(args, TOP_FLAGS, 0);
  if (flags.values.help === true) {
    process.stdout.write(TOP_HELP);
    return 0;
  }
  const monitor = new Monitor({ url: sourceUrl(flags), intervalMs: intervalMs(flags) });
  if (flags.values.once === true) return snapshotOnce(monitor, intervalMs(flags));
  if (process.stdout.isTTY && process.stdin.isTTY) return fullScreen(monitor, process.stdin, process.stdout);
  return plainSnapshots(monitor);
}

function sourceUrl(flags: ParsedFlags): string {
  const value = flags.values.metrics;
  if (typeof value !== 'string')
    throw new UsageError('top needs --metrics HOST:PORT (see "udpchat top --help")');
  const source = metricsSourceUrl(value);
  if (!source.ok) throw new UsageError(`--metrics: ${source.message}`);
  return source.url;
}

function intervalMs(flags: ParsedFlags): number {
  const value = flags.values.interval;
  return typeof value === 'string' ? parseSeconds(value, '--interval') : 1_000;
}

async function snapshotOnce(monitor: Monitor, interval: number): Promise<number> {
  const first = await monitor.poll();
  if (!first.hasData) {
    process.stderr.write(`udpchat: cannot scrape ${first.source}: ${first.error ?? 'no data'}\n`);
    return 1;
  }
  await sleep(interval);
  process.stdout.write(plain(await monitor.poll()));
  return 0;
}

async function plainSnapshots(monitor: Monitor): Promise<number> {
  const stop = stopOnSignals();
  // A closed pipe (`udpchat top ... | head`) ends the loop instead of crashing on EPIPE.
  process.stdout.on('error', () => stop.abort());
  await monitor.run((view) => process.stdout.write(`${plain(view)}\n`), stop.signal);
  return 0;
}

async function fullScreen(monitor: Monitor, input: ReadStream, output: WriteStream): Promise<number> {
  const stop = stopOnSignals();
  const screen = new TopScreen(input, output, () => stop.abort());
  const colour = process.env.NO_COLOR === undefined;
  const draw = (view: TopView): void =>
    screen.draw(renderView(view, { width: screen.width, height: screen.height, colour, live: true }));
  screen.onResize(() => draw(monitor.current));
  draw(monitor.current);
  try {
    await monitor.run(draw, stop.signal);
  } finally {
    screen.close();
  }
  return 0;
}

function plain(view: TopView): string {
  const width = process.stdout.columns || PLAIN_WIDTH;
  return `${renderView(view, { width, colour: false, live: false }).join('\n')}\n`;
}

function stopOnSignals(): AbortController {
  const stop = new AbortController();
  const abort = (): void => stop.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  return stop;
}
