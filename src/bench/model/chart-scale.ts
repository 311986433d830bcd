/** Axis arithmetic for the hand-written SVG chart: round tick values, linear and logarithmic mappings. */

/** About `count` round ticks (1, 2 or 5 times a power of ten) from 0 to at least `max`. */
export function linearTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) {
    ticks.push(Number(v.toPrecision(12)));
    if (v >= max) break;
  }
  return ticks;
}

/** Powers of ten from below `min` to above `max` (both > 0). */
export function logTicks(min: number, max: number): number[] {
  const low = Math.floor(Math.log10(Math.max(min, 1e-9)));
  const high = Math.max(low + 1, Math.ceil(Math.log10(Math.max(max, min, 1e-9))));
  const ticks: number[] = [];
  for (let e = low; e <= high; e++) ticks.push(Number((10 ** e).toPrecision(12)));
  return ticks;
}

/** Maps [from, to] onto pixels [start, end]. */
export function linearScale(from: number, to: number, start: number, end: number): (v: number) => number {
  const span = to - from || 1;
  return (v) => start + ((v - from) / span) * (end - start);
}

export function logScale(from: number, to: number, start: number, end: number): (v: number) => number {
  const linear = linearScale(Math.log10(from), Math.log10(to), start, end);
  return (v) => linear(Math.log10(Math.max(v, from)));
}

/** A tick label: 1,500 / 20k / 1.5M, or 0.01 for small values. */
export function tickLabel(value: number): string {
  if (value >= 1e6) return `${Number((value / 1e6).toPrecision(3))}M`;
  if (value >= 1e4) return `${Number((value / 1e3).toPrecision(3))}k`;
  if (value >= 1) return Math.round(value).toLocaleString('en-US');
  return String(Number(value.toPrecision(2)));
}
