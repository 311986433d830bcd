/**
 * `udpchat top --metrics HOST:PORT`: a live view of a running relay, read from its `/metrics` endpoint
 * (start the relay with `--metrics`). Full screen on a terminal; one plain snapshot per interval when
 * stdout is not a terminal; `--once` prints a single snapshot (two scrapes an interval apart, for rates).
 */
import type { ReadStream, WriteStream } from 'node:tty';
import { Monitor, sleep } from '../top/monitor.ts';
import { renderView } from '../top/render.ts';
import { metricsSource } from '../top/source-url.ts';
import { TopScreen } from '../top/top-screen.ts';
import type { TopView } from '../top/view-model.ts';
import { defineCommand } from './command.ts';
import type { ParsedCommandLine } from './flag-parser.ts';
import { switchFlag, valueFlag } from './flag-table.ts';
import { stopOnSignals } from './stop-signal.ts';
import { duration } from './values.ts';

const TOP_FLAGS = {
  metrics: valueFlag(
    metricsSource,
    "the relay's metrics address (the printed http://.../metrics URL works too)",
    {
      required: true,
    },
  ),
  interval: valueFlag(duration({ bare: 's', zero: false }), 'time between scrapes', { default: 1_000 }),
  once: switchFlag('print one snapshot and exit (two scrapes, one interval apart, for the rates)'),
} as const;

export const topCommand = defineCommand({
  name: 'top',
  summary:
    'A live view of a relay started with --metrics: clients, rooms, rates with sparklines, refusals, top ' +
    'talkers; q or Ctrl-C quits. Plain snapshots when stdout is not a terminal; --once prints one.',
  description: `A live view of a running relay started with "udpchat relay --metrics HOST:PORT": clients,
    rooms, datagram, byte and line rates with a sparkline of the last minute, send errors, throttled lines,
    refusals by reason, event-loop lag and the top talkers. q or Ctrl-C quits. When stdout is not a
    terminal, a plain snapshot is printed every interval instead.`,
  flags: TOP_FLAGS,
  notes: `D is a duration: 500ms, 2s, or a plain number of seconds. Exit codes: 0 on quit, 1 if --once
    could not reach the relay, 2 for a usage error.`,
  run: runTop,
});

/** Plain snapshots need some width when stdout is a pipe and has none. */
const PLAIN_WIDTH = 100;

async function runTop({ flags }: ParsedCommandLine<typeof TOP_FLAGS>): Promise<number> {
  const monitor = new Monitor({ url: flags.metrics, intervalMs: flags.interval });
  if (flags.once) return snapshotOnce(monitor, flags.interval);
  if (process.stdout.isTTY && process.stdin.isTTY) return fullScreen(monitor, process.stdin, process.stdout);
  return plainSnapshots(monitor);
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
