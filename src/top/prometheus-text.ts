/**
 * A small reader for the Prometheus text exposition format (0.0.4), enough for `udpchat top`: comments
 * and blank lines are skipped, label values are unescaped (`\\`, `\"`, `\n`), NaN and ±Inf are read, an
 * optional timestamp is ignored. A malformed line is skipped rather than failing the whole scrape: a
 * monitor should show what it can.
 */

export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  readonly name: string;
  readonly labels: Labels;
  readonly value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?\s*$/;

export function parsePrometheusText(text: string): MetricSet {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const sample = parseSampleLine(line);
    if (sample !== undefined) samples.push(sample);
  }
  return new MetricSet(samples);
}

export function parseSampleLine(line: string): Sample | undefined {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  const match = SAMPLE_LINE.exec(trimmed);
  if (match === null) return undefined;
  const [, name = '', labelText, valueText = ''] = match;
  const labels = labelText === undefined ? {} : parseLabels(labelText);
  const value = parseValue(valueText);
  if (labels === undefined || value === undefined) return undefined;
  return { name, labels, value };
}

/** `a="x",b="y\"z"` (a trailing comma is allowed by the format). */
export function parseLabels(text: string): Labels | undefined {
  const labels: Record<string, string> = {};
  const pair = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;
  let at = 0;
  while (at < text.length) {
    pair.lastIndex = at;
    const match = pair.exec(text);
    if (match === null) return text.slice(at).trim() === '' ? labels : undefined;
    const [, key = '', raw = ''] = match;
    labels[key] = unescapeLabel(raw);
    at = pair.lastIndex;
  }
  return labels;
}

function unescapeLabel(raw: string): string {
  return raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function parseValue(text: string): number | undefined {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  const value = Number(text);
  return text !== '' && !Number.isNaN(value) ? value : undefined;
}

/** One scrape's samples, looked up by name and (some of) their labels. */
export class MetricSet {
  private readonly byName = new Map<string, Sample[]>();

  constructor(samples: readonly Sample[]) {
    for (const sample of samples) {
      const list = this.byName.get(sample.name);
      if (list === undefined) this.byName.set(sample.name, [sample]);
      else list.push(sample);
    }
  }

  series(name: string): readonly Sample[] {
    return this.byName.get(name) ?? [];
  }

  /** The first sample of `name` whose labels include `labels`; undefined when the relay has none. */
  value(name: string, labels: Labels = {}): number | undefined {
    const wanted = Object.entries(labels);
    return this.series(name).find((s) => wanted.every(([k, v]) => s.labels[k] === v))?.value;
  }
}
