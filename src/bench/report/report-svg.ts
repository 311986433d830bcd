/**
 * The sweep as an SVG chart, written by hand (no charting dependency): on the left on-time deliveries/s,
 * on the right p99 latency (log scale), both against the offered rate in deliveries/s (lines/s x (N - 1),
 * which puts every client count on one axis); one line per client count.
 */
import { linearScale, linearTicks, logScale, logTicks, tickLabel } from '../model/chart-scale.ts';
import { LATE_AFTER_US } from '../model/receipts.ts';
import type { StepResult } from '../model/result.ts';
import type { TrafficSeries } from '../run.ts';

const WIDTH = 960;
const HEIGHT = 420;
const PANEL = { width: 380, height: 280, top: 60, lefts: [80, 560] } as const;
/** The lateness rule, drawn on the latency panel. */
const LATE_MS = LATE_AFTER_US / 1000;
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

interface Point {
  readonly x: number;
  readonly y: number;
}

interface Line {
  readonly label: string;
  readonly colour: string;
  readonly points: readonly Point[];
}

/** Each series is named by its client count unless the caller names them (e.g. two relays compared). */
export function formatSweepSvg(
  series: readonly TrafficSeries[],
  title: string,
  nameOf: (s: TrafficSeries) => string = (s) => `${tickLabel(s.clients)} clients`,
): string {
  const sorted = series.map((s) => chartSteps(s.steps));
  const label = (i: number): string => {
    const s = series[i];
    return s === undefined ? '' : nameOf(s);
  };
  const colour = (i: number): string => COLOURS[i % COLOURS.length] ?? '#000';
  const throughput: Line[] = sorted.map((steps, i) => ({
    label: label(i),
    colour: colour(i),
    points: steps.map((r) => ({ x: r.offeredDeliveriesPerSecond, y: r.deliveriesPerSecond })),
  }));
  const latency: Line[] = sorted.map((steps, i) => ({
    label: label(i),
    colour: colour(i),
    points: steps.flatMap((r) =>
      r.latencyMs === null ? [] : [{ x: r.offeredDeliveriesPerSecond, y: r.latencyMs.p99 }],
    ),
  }));
  const xMax = Math.max(1, ...throughput.flatMap((l) => l.points.map((p) => p.x)));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
    ...throughputPanel(throughput, xMax),
    ...latencyPanel(latency, xMax),
    ...legend([...throughput]),
    '</svg>',
    '',
  ].join('\n');
}

/**
 * The steps to draw, by offered rate; of a step the sweep ran twice (to confirm a failure) the better run,
 * the one the search believed (the Markdown table lists both).
 */
export function chartSteps(steps: readonly StepResult[]): StepResult[] {
  const byRate = new Map<number, StepResult>();
  for (const step of steps) {
    const seen = byRate.get(step.linesPerSecond);
    if (seen === undefined || step.lossPercent < seen.lossPercent) byRate.set(step.linesPerSecond, step);
  }
  return [...byRate.values()].sort((a, b) => a.linesPerSecond - b.linesPerSecond);
}

function throughputPanel(lines: readonly Line[], xMax: number): string[] {
  const left = PANEL.lefts[0];
  const xTicks = linearTicks(xMax);
  const yMax = Math.max(xMax, ...lines.flatMap((l) => l.points.map((p) => p.y)));
  const yTicks = linearTicks(yMax);
  const x = linearScale(0, last(xTicks), left, left + PANEL.width);
  const y = linearScale(0, last(yTicks), PANEL.top + PANEL.height, PANEL.top);
  const ideal = Math.min(last(xTicks), last(yTicks));
  return [
    ...axes(left, xTicks, x, yTicks, y, 'on-time deliveries/s'),
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(ideal)}" y2="${y(ideal)}" stroke="#999" stroke-dasharray="4 4"/>`,
    ...lines.map((l) => polyline(l, x, y)),
  ];
}

function latencyPanel(lines: readonly Line[], xMax: number): string[] {
  const left = PANEL.lefts[1];
  const xTicks = linearTicks(xMax);
  const values = lines.flatMap((l) => l.points.map((p) => p.y));
  const yTicks = logTicks(Math.min(1, ...values), Math.max(LATE_MS * 2, ...values));
  const x = linearScale(0, last(xTicks), left, left + PANEL.width);
  const y = logScale(yTicks[0] ?? 0.01, last(yTicks), PANEL.top + PANEL.height, PANEL.top);
  const late = fix(y(LATE_MS));
  return [
    ...axes(left, xTicks, x, yTicks, y, 'p99 one-way latency (ms, log)'),
    `<line x1="${left}" y1="${late}" x2="${left + PANEL.width}" y2="${late}" stroke="#777" stroke-dasharray="6 4"/>`,
    `<text x="${left + PANEL.width - 4}" y="${fix(y(LATE_MS) - 5)}" text-anchor="end" fill="#555">later than 100 ms counts as lost</text>`,
    ...lines.map((l) => polyline(l, x, y)),
  ];
}

function axes(
  left: number,
  xTicks: readonly number[],
  x: (v: number) => number,
  yTicks: readonly number[],
  y: (v: number) => number,
  yTitle: string,
): string[] {
  const bottom = PANEL.top + PANEL.height;
  const parts = [
    `<rect x="${left}" y="${PANEL.top}" width="${PANEL.width}" height="${PANEL.height}" fill="none" stroke="#333"/>`,
    `<text x="${left + PANEL.width / 2}" y="${bottom + 40}" text-anchor="middle">offered deliveries/s (lines/s × (N − 1))</text>`,
    `<text x="${left - 55}" y="${PANEL.top + PANEL.height / 2}" text-anchor="middle" transform="rotate(-90 ${left - 55} ${PANEL.top + PANEL.height / 2})">${escapeXml(yTitle)}</text>`,
  ];
  for (const t of xTicks)
    parts.push(
      `<line x1="${fix(x(t))}" y1="${bottom}" x2="${fix(x(t))}" y2="${bottom + 5}" stroke="#333"/>`,
      `<text x="${fix(x(t))}" y="${bottom + 18}" text-anchor="middle">${tickLabel(t)}</text>`,
    );
  for (const t of yTicks)
    parts.push(
      `<line x1="${left}" y1="${fix(y(t))}" x2="${left + PANEL.width}" y2="${fix(y(t))}" stroke="#eee"/>`,
      `<text x="${left - 8}" y="${fix(y(t) + 4)}" text-anchor="end">${tickLabel(t)}</text>`,
    );
  return parts;
}

function polyline(line: Line, x: (v: number) => number, y: (v: number) => number): string {
  const points = line.points.map((p) => `${fix(x(p.x))},${fix(y(p.y))}`).join(' ');
  const dots = line.points.map(
    (p) => `<circle cx="${fix(x(p.x))}" cy="${fix(y(p.y))}" r="3" fill="${line.colour}"/>`,
  );
  return [
    `<polyline points="${points}" fill="none" stroke="${line.colour}" stroke-width="2"/>`,
    ...dots,
  ].join('\n');
}

function legend(lines: readonly Line[]): string[] {
  return lines.map((l, i) => {
    const x = PANEL.lefts[0] + i * 140;
    const y = HEIGHT - 20;
    return `<line x1="${x}" y1="${y - 4}" x2="${x + 24}" y2="${y - 4}" stroke="${l.colour}" stroke-width="3"/><text x="${x + 30}" y="${y}">${escapeXml(l.label)}</text>`;
  });
}

function last(values: readonly number[]): number {
  return values[values.length - 1] ?? 1;
}

function fix(v: number): string {
  return v.toFixed(1);
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
