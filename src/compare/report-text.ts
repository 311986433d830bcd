/** `udpchat compare`'s table: one row per transport, the fault model named above it. */
import type { TransportResult } from './conversation.ts';
import type { CompareRun } from './run.ts';
import { TRANSPORT_NAMES } from './settings.ts';

const HEADERS = [
  'transport',
  'delivered',
  'lost',
  'dup',
  'out of order',
  'p50 ms',
  'p99 ms',
  'max ms',
  'KiB/client',
  'CPU µs/delivery',
  'vanished: noticed',
  'cut off: noticed',
];

export function formatCompareTable(run: CompareRun): string {
  const { settings } = run;
  const rows = run.results.map(row);
  const widths = HEADERS.map((header, i) =>
    Math.max(header.length, ...rows.map((cells) => (cells[i] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  return [
    `fault model: ${run.modelText}`,
    `conversation: ${settings.clients} clients x ${settings.lines} lines at ${settings.rate}/s each; ` +
      `${settings.idleClients} idle clients for memory; the relay drops a silent client after ` +
      `${settings.deadAfterMs / 1000} s`,
    '',
    line(HEADERS),
    ...rows.map(line),
  ].join('\n');
}

function row(result: TransportResult): string[] {
  const f = result.figures;
  return [
    TRANSPORT_NAMES[result.transport],
    `${f.delivered}/${f.expected}`,
    percentOf(f.lost, f.expected),
    String(f.duplicated),
    String(f.outOfOrder),
    f.p50Ms.toFixed(1),
    f.p99Ms.toFixed(1),
    f.maxMs.toFixed(0),
    result.memoryKiBPerClient === null ? 'n/a' : result.memoryKiBPerClient.toFixed(1),
    result.cpuUsPerDelivery === null ? 'n/a' : result.cpuUsPerDelivery.toFixed(0),
    seconds(result.vanishedNoticeMs),
    seconds(result.cutNoticeMs),
  ];
}

function percentOf(part: number, whole: number): string {
  return whole === 0 ? '0' : `${part} (${((100 * part) / whole).toFixed(1)}%)`;
}

function seconds(ms: number | null): string {
  return ms === null ? 'n/a' : `${(ms / 1000).toFixed(2)} s`;
}
