/**
 * Plain text fitted to a number of terminal columns: cut (ending in `…`) and padded by the columns that
 * width.ts measures, one grapheme cluster at a time, so a cut never lands inside an emoji, a ZWJ sequence,
 * a flag or a letter with its combining marks, and a wide character is never split across the edge.
 */
import { clusterWidth, displayWidth, graphemes } from './width.ts';

const ELLIPSIS = '…';

/** Cuts `text` to at most `width` columns, marking a cut with `…` (which takes the last column). */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const cluster of graphemes(text)) {
    const columns = clusterWidth(cluster);
    if (used + columns > width - 1) break;
    out += cluster;
    used += columns;
  }
  return `${out}${ELLIPSIS}`;
}

/** `text` cut to `width` columns, then padded with spaces on the right to exactly `width`. */
export function padEnd(text: string, width: number): string {
  const cut = truncate(text, width);
  return cut + ' '.repeat(Math.max(0, width - displayWidth(cut)));
}

/** `text` cut to `width` columns, then padded with spaces on the left to exactly `width`. */
export function padStart(text: string, width: number): string {
  const cut = truncate(text, width);
  return ' '.repeat(Math.max(0, width - displayWidth(cut))) + cut;
}
