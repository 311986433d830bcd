/**
 * A sparkline: one block per value, scaled so the largest value in the line is a full block. Zero is the
 * lowest block (a quiet relay still shows a baseline) and any traffic at all at least the second, so a
 * trickle under a spike is not mistaken for silence. Right-aligned: the newest value keeps its column.
 */
const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

export function sparkline(values: readonly number[], width: number): string {
  const shown = values.slice(-width);
  const max = Math.max(0, ...shown.filter(Number.isFinite));
  const blocks = shown.map((value) => block(value, max));
  return ' '.repeat(Math.max(0, width - blocks.length)) + blocks.join('');
}

function block(value: number, max: number): string {
  if (!(max > 0) || !Number.isFinite(value) || value <= 0) return BLOCKS[0];
  const top = BLOCKS.length - 1;
  const index = Math.min(top, Math.max(1, Math.ceil((value / max) * top)));
  return BLOCKS[index] ?? BLOCKS[0];
}
