/**
 * The `udpchat top` screen as lines of text: a pure function of the view, the terminal size and whether
 * colour is wanted. Each line is built from cells whose widths are measured before any colour is added,
 * so a line never wraps (which is what makes a full-screen redraw flicker-free). Text from the metrics
 * endpoint (its address, nicks, refusal reasons, errors) is not trusted to keep escape sequences off the
 * operator's terminal: every unsafe character in it is masked before it is measured.
 */
import { maskUnsafe } from '../protocol/sanitize.ts';
import { padEnd, padStart, truncate } from '../terminal/fit.ts';
import { displayWidth } from '../terminal/width.ts';
import {
  formatByteRate,
  formatBytes,
  formatCount,
  formatMillis,
  formatRate,
  formatUptime,
} from './format.ts';
import { sparkline } from './sparkline.ts';
import type { RateRow, ReasonRow, TalkerRow, TopView } from './view-model.ts';

export interface RenderOptions {
  readonly width: number;
  /** Rows available; lists are shortened to fit. Unlimited when absent (plain snapshots). */
  readonly height?: number;
  readonly colour: boolean;
  /** A live screen shows the key hint. */
  readonly live: boolean;
}

type Paint = (text: string) => string;
interface Cell {
  readonly text: string;
  readonly paint?: Paint;
}

const sgr =
  (code: string): Paint =>
  (text) =>
    `\x1b[${code}m${text}\x1b[0m`;
const PAINTS = {
  title: sgr('1;7'),
  dim: sgr('2'),
  bold: sgr('1'),
  spark: sgr('36'),
  bad: sgr('1;31'),
  warn: sgr('33'),
};
type PaintName = keyof typeof PAINTS;
/** A paint by name, or none when colour is off. */
type Painter = (name: PaintName) => Paint | undefined;

const LABEL = 15;
const NOW = 14;
const TOTAL = 14;
const SPARK_MAX = 60;
const LIST_MAX = 10;

export function renderView(view: TopView, options: RenderOptions): string[] {
  const painter: Painter = (name) => (options.colour ? PAINTS[name] : undefined);
  const rows: Cell[][] = [header(view, options, painter), ...status(view, painter)];
  if (view.hasData) {
    rows.push(summary(view, painter), []);
    rows.push(...rateTable(view, options.width, painter), []);
    const listRoom = options.height === undefined ? LIST_MAX : Math.max(0, options.height - rows.length - 1);
    rows.push(...lists(view, options.width, Math.min(LIST_MAX, listRoom), painter));
  }
  const lines = rows.map((cells) => compose(cells, options.width));
  return options.height === undefined ? lines : lines.slice(0, options.height);
}

function header(view: TopView, options: RenderOptions, painter: Painter): Cell[] {
  const right = `up ${formatUptime(view.uptimeSeconds)}${options.live ? '   q quits' : ''} `;
  const left = ` udpchat top  ${maskUnsafe(view.source)}`;
  const gap = Math.max(1, options.width - displayWidth(left) - displayWidth(right));
  return [
    cell(
      `${truncate(left, options.width - displayWidth(right) - 1)}${' '.repeat(gap)}${right}`,
      painter('title'),
    ),
  ];
}

function status(view: TopView, painter: Painter): Cell[][] {
  if (view.error === undefined)
    return view.hasData ? [] : [[cell(' waiting for the first scrape…', painter('dim'))]];
  const error = maskUnsafe(view.error);
  const line = view.hasData
    ? ` no answer (${error}): figures below are ${Math.round(view.ageSeconds)} s old`
    : ` cannot reach the relay (${error}): is it running with --metrics?`;
  return [[cell(line, painter('bad'))]];
}

function summary(view: TopView, painter: Painter): Cell[] {
  const pair = (label: string, value: string): Cell[] => [
    cell(` ${label} `, painter('dim')),
    cell(value, painter('bold')),
  ];
  // Two spaces between pairs keeps this on one line of an 80-column terminal with six-digit figures.
  return [
    ...pair('clients', formatCount(view.clients)),
    ...pair(' rooms', formatCount(view.rooms)),
    ...pair(' joins', formatCount(view.joins)),
    ...pair(' evictions', formatCount(view.evictions)),
    ...pair(' lag p99', formatMillis(view.lagP99Ms)),
    ...pair('max', formatMillis(view.lagMaxMs)),
  ];
}

function rateTable(view: TopView, width: number, painter: Painter): Cell[][] {
  const sparkWidth = Math.min(SPARK_MAX, width - LABEL - NOW - TOTAL - 4);
  const heading = padEnd(' ', LABEL) + padStart('now', NOW) + padStart('total', TOTAL);
  const span = Math.round(sparkWidth * view.intervalSeconds);
  const title = sparkWidth >= 10 ? `${heading}   last ${span} s` : heading;
  const row = (r: RateRow): Cell[] => rateRow(r, sparkWidth, painter);
  return [[cell(title, painter('dim'))], ...view.traffic.map(row), ...view.trouble.map(row)];
}

function rateRow(row: RateRow, sparkWidth: number, painter: Painter): Cell[] {
  const now = row.unit === 'bytes' ? formatByteRate(row.rate) : `${formatRate(row.rate)}/s`;
  const total = row.unit === 'bytes' ? formatBytes(row.total) : formatCount(row.total);
  const hot = row.alarming && (row.rate ?? 0) > 0;
  const cells = [
    cell(padEnd(` ${row.label}`, LABEL)),
    cell(padStart(now, NOW), hot ? painter('bad') : painter('bold')),
    cell(padStart(total, TOTAL), row.alarming && (row.total ?? 0) > 0 ? painter('warn') : undefined),
  ];
  if (sparkWidth >= 10) cells.push(cell('   '), cell(sparkline(row.history, sparkWidth), painter('spark')));
  return cells;
}

/** Refusals by reason on the left, top talkers on the right. */
function lists(view: TopView, width: number, max: number, painter: Painter): Cell[][] {
  const half = Math.floor(width / 2);
  const reasonWidth = half - REFUSAL_NUMBERS;
  const left = [
    [
      cell(
        padEnd(' refusals', reasonWidth) + padStart('/s (10 s)', 10) + padStart('total', 8),
        painter('dim'),
      ),
    ],
  ];
  const right = [[cell(padEnd('top talkers', half - 12) + padStart('lines/s', 10), painter('dim'))]];
  for (const r of view.refusals.slice(0, max)) left.push(refusalRow(r, reasonWidth, painter));
  for (const t of view.talkers.slice(0, max)) right.push(talkerRow(t, half));
  if (view.refusals.length === 0) left.push([cell(' none', painter('dim'))]);
  if (view.talkers.length === 0) right.push([cell('nobody is talking', painter('dim'))]);
  const out: Cell[][] = [];
  for (let i = 0; i < Math.min(max + 1, Math.max(left.length, right.length)); i++) {
    out.push([...column(left[i] ?? [], half), ...(right[i] ?? [])]);
  }
  return out;
}

/** Rate, total and the gap before the right-hand list. */
const REFUSAL_NUMBERS = 20;

function refusalRow(row: ReasonRow, reasonWidth: number, painter: Painter): Cell[] {
  return [
    cell(padEnd(` ${maskUnsafe(row.reason)}`, reasonWidth)),
    cell(padStart(formatRate(row.rate), 10), (row.rate ?? 0) > 0 ? painter('warn') : undefined),
    cell(padStart(formatCount(row.total), 8)),
  ];
}

function talkerRow(row: TalkerRow, half: number): Cell[] {
  return [cell(padEnd(maskUnsafe(row.nick), half - 12)), cell(padStart(formatRate(row.linesPerSecond), 10))];
}

/** One side's cells, padded to exactly `width` columns so the other side lines up. */
function column(cells: readonly Cell[], width: number): Cell[] {
  const used = cells.reduce((sum, c) => sum + displayWidth(c.text), 0);
  return [...cells, cell(' '.repeat(Math.max(0, width - used)))];
}

function cell(text: string, paint?: Paint): Cell {
  return paint === undefined ? { text } : { text, paint };
}

/** Joins cells, cutting at `width` columns; trailing spaces are dropped from plain (uncoloured) output. */
function compose(cells: readonly Cell[], width: number): string {
  let out = '';
  let used = 0;
  for (const { text, paint } of cells) {
    if (used >= width) break;
    const fitted = truncate(text, width - used);
    used += displayWidth(fitted);
    out += paint === undefined ? fitted : paint(fitted);
  }
  return out.trimEnd();
}
