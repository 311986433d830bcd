/**
 * `udpchat compare`'s chart, hand-written SVG like the bench's: one small panel per question (what was
 * lost, how late the slowest lines were, what a client costs the relay, how long a dead peer goes
 * unnoticed), one bar per transport in each, the value written at the bar's end.
 */
import { escapeXml } from '../bench/report/report-svg.ts';
import type { TransportResult } from './conversation.ts';
import type { CompareRun } from './run.ts';
import { TRANSPORT_NAMES } from './settings.ts';

const WIDTH = 960;
const PANEL_WIDTH = 440;
const BAR_HEIGHT = 18;
const BAR_GAP = 6;
const LABEL_WIDTH = 90;
const COLOURS: Readonly<Record<string, string>> = {
  'udp-v1': '#d62728',
  'udp-v2': '#ff7f0e',
  tcp: '#1f77b4',
  ws: '#2ca02c',
};

interface Panel {
  readonly title: string;
  readonly value: (result: TransportResult) => number | null;
  readonly format: (value: number) => string;
}

const PANELS: readonly Panel[] = [
  {
    title: 'lines lost (% of deliveries)',
    value: (r) => (r.figures.expected === 0 ? 0 : (100 * r.figures.lost) / r.figures.expected),
    format: (v) => `${v.toFixed(1)}%`,
  },
  { title: 'latency p99 (ms)', value: (r) => r.figures.p99Ms, format: (v) => `${v.toFixed(1)} ms` },
  { title: 'latency max (ms)', value: (r) => r.figures.maxMs, format: (v) => `${v.toFixed(0)} ms` },
  { title: 'lines out of order', value: (r) => r.figures.outOfOrder, format: (v) => v.toFixed(0) },
  {
    title: 'relay memory per idle client (KiB)',
    value: (r) => r.memoryKiBPerClient,
    format: (v) => `${v.toFixed(1)} KiB`,
  },
  {
    title: 'relay CPU per delivery (µs)',
    value: (r) => r.cpuUsPerDelivery,
    format: (v) => `${v.toFixed(0)} µs`,
  },
  {
    title: 'a client vanishes: noticed after (s)',
    value: (r) => (r.vanishedNoticeMs === null ? null : r.vanishedNoticeMs / 1000),
    format: (v) => `${v.toFixed(2)} s`,
  },
  {
    title: 'a client is cut off: noticed after (s)',
    value: (r) => (r.cutNoticeMs === null ? null : r.cutNoticeMs / 1000),
    format: (v) => `${v.toFixed(2)} s`,
  },
];

export function formatCompareSvg(run: CompareRun): string {
  const count = run.results.length;
  const panelHeight = 34 + count * (BAR_HEIGHT + BAR_GAP);
  const rows = Math.ceil(PANELS.length / 2);
  const height = 86 + rows * (panelHeight + 16) + 10;
  const parts = PANELS.flatMap((panel, i) =>
    drawPanel(
      panel,
      run.results,
      20 + (i % 2) * (PANEL_WIDTH + 40),
      86 + Math.floor(i / 2) * (panelHeight + 16),
    ),
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="${WIDTH / 2}" y="26" text-anchor="middle" font-size="16">The same conversation over four transports</text>`,
    `<text x="${WIDTH / 2}" y="46" text-anchor="middle" fill="#555">${escapeXml(wrap(run.modelText))}</text>`,
    `<text x="${WIDTH / 2}" y="64" text-anchor="middle" fill="#555">${escapeXml(
      `${run.settings.clients} clients x ${run.settings.lines} lines at ${run.settings.rate}/s each`,
    )}</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

function drawPanel(panel: Panel, results: readonly TransportResult[], left: number, top: number): string[] {
  const values = results.map((r) => panel.value(r));
  const max = Math.max(...values.map((v) => v ?? 0), 1e-9);
  const barSpace = PANEL_WIDTH - LABEL_WIDTH - 80;
  const out = [`<text x="${left}" y="${top + 14}" font-weight="bold">${escapeXml(panel.title)}</text>`];
  results.forEach((result, i) => {
    const y = top + 26 + i * (BAR_HEIGHT + BAR_GAP);
    const value = values[i] ?? null;
    const width = value === null ? 0 : Math.max(1, (value / max) * barSpace);
    out.push(
      `<text x="${left + LABEL_WIDTH - 8}" y="${y + 13}" text-anchor="end">${escapeXml(TRANSPORT_NAMES[result.transport])}</text>`,
      `<rect x="${left + LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${COLOURS[result.transport] ?? '#777'}"/>`,
      `<text x="${(left + LABEL_WIDTH + width + 6).toFixed(1)}" y="${y + 13}">${escapeXml(value === null ? 'n/a' : panel.format(value))}</text>`,
    );
  });
  return out;
}

/** The model's text is long: the chart shows its first clause. */
function wrap(text: string): string {
  const cut = text.indexOf(';');
  return cut < 0 ? text : text.slice(0, cut);
}
