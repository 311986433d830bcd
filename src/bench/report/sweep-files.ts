/** Writes a sweep's Markdown table and SVG chart next to each other: <prefix>.md and <prefix>.svg. */
import { writeFile } from 'node:fs/promises';
import { availableParallelism, hostname } from 'node:os';
import type { TrafficSeries } from '../run.ts';
import { formatSweepMarkdown } from './report-markdown.ts';
import { formatSweepSvg } from './report-svg.ts';

export async function writeSweepFiles(series: readonly TrafficSeries[], prefix: string): Promise<string[]> {
  const markdown = `${prefix}.md`;
  const svg = `${prefix}.svg`;
  const date = new Date().toISOString().slice(0, 10);
  const title = `udpchat bench --sweep, ${date}, ${hostname()} (${availableParallelism()} CPUs)`;
  await writeFile(markdown, formatSweepMarkdown(series));
  await writeFile(svg, formatSweepSvg(series, title));
  return [markdown, svg];
}
