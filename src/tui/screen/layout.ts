/**
 * Laying styled text out in terminal columns: word wrapping with a hanging indent (continuation rows line up
 * under the message, as in irssi), and fitting a span list into exactly one row. Widths come from terminal/width.ts,
 * so CJK and emoji never straddle the right edge and a cluster is never split.
 */

import { clusterWidth, graphemes } from '../../terminal/width.ts';
import { type Cell, PLAIN_STYLE, type Row, type Span, type Style } from './styled.ts';

/** One visible character: a grapheme cluster with its width (any zero-width cluster is folded into it). */
export interface Glyph {
  readonly text: string;
  readonly width: 1 | 2;
  readonly style: Style;
}

const ELLIPSIS: Glyph = { text: '…', width: 1, style: PLAIN_STYLE };

/** Spans as glyphs. A tab becomes a space (tab stops mean nothing in a wrapped message). */
export function glyphs(spans: readonly Span[]): Glyph[] {
  const out: Glyph[] = [];
  for (const { text, style } of spans) {
    for (const cluster of graphemes(text.replaceAll('\t', ' '))) {
      const width = clusterWidth(cluster);
      const previous = out.at(-1);
      if (width !== 0) out.push({ text: cluster, width, style });
      // A mark with nothing to sit on (at the start) is dropped rather than drawn over the previous cell.
      else if (previous !== undefined) out[out.length - 1] = { ...previous, text: previous.text + cluster };
    }
  }
  return out;
}

export function glyphsWidth(items: readonly Glyph[]): number {
  let width = 0;
  for (const glyph of items) width += glyph.width;
  return width;
}

/** Glyphs as cells: a wide glyph is followed by an empty cell for its second column. */
export function cells(items: readonly Glyph[]): Cell[] {
  const out: Cell[] = [];
  for (const glyph of items) {
    out.push({ text: glyph.text, style: glyph.style });
    if (glyph.width === 2) out.push({ text: '', style: glyph.style });
  }
  return out;
}

/** Pads (or cuts) a row to exactly `width` columns. */
export function padRow(row: readonly Cell[], width: number, fill: Style = PLAIN_STYLE): Row {
  const out = row.slice(0, width);
  // Cutting through a wide glyph would leave half of it: blank the orphaned first half instead.
  if (out.length === width && row[width]?.text === '') out[width - 1] = { text: ' ', style: fill };
  while (out.length < width) out.push({ text: ' ', style: fill });
  return out;
}

/** One row of exactly `width` columns, padded in `fill`; text that does not fit ends in `…`. */
export function fitRow(spans: readonly Span[], width: number, fill: Style = PLAIN_STYLE): Row {
  // Trailing spaces are padding, not text: they never cost an ellipsis.
  const items = trimTrailingSpaces(glyphs(spans));
  if (glyphsWidth(items) <= width) return padRow(cells(items), width, fill);
  const kept: Glyph[] = [];
  let used = 0;
  for (const glyph of items) {
    if (used + glyph.width > width - 1) break;
    kept.push(glyph);
    used += glyph.width;
  }
  kept.push({ ...ELLIPSIS, style: kept.at(-1)?.style ?? fill });
  return padRow(cells(kept), width, fill);
}

/**
 * Wraps spans into rows at most `width` columns wide, breaking after a space where one is found past the
 * indent and anywhere otherwise. Continuation rows start with `indent` blank columns (at most half the width,
 * so a narrow terminal still has room for text). Rows are not padded.
 */
export function wrap(spans: readonly Span[], width: number, indent = 0): Cell[][] {
  const hang = hangingIndent(indent, width);
  const lines: Glyph[][] = [];
  let row: Glyph[] = [];
  let used = 0;
  for (const glyph of glyphs(spans)) {
    // A carried word plus this glyph may still not fit: then the word itself is cut (no space past the indent).
    while (used + glyph.width > width && used > hang) {
      const carried = breakRow(row, hang);
      lines.push(row.slice(0, row.length - carried.length));
      row = [...blank(hang), ...dropLeadingSpaces(carried)];
      used = glyphsWidth(row);
    }
    if (glyph.text === ' ' && used === hang && lines.length > 0) continue;
    row.push(glyph);
    used += glyph.width;
  }
  lines.push(row);
  return lines.map((line) => cells(trimTrailingSpaces(line)));
}

/**
 * Adds `tail` (a mark such as ` …`) after wrapped rows: on the last row if it fits there, else on rows of its
 * own under the hanging indent, without its leading spaces. The rows before it stay exactly as they were, so
 * a mark that comes and goes never re-wraps the text it follows.
 */
export function appendTail(
  rows: readonly Cell[][],
  tail: readonly Span[],
  width: number,
  indent = 0,
): Cell[][] {
  const tailCells = cells(glyphs(tail));
  const last = rows.at(-1);
  if (tailCells.length === 0 || last === undefined) return [...rows];
  if (last.length + tailCells.length <= width) return [...rows.slice(0, -1), [...last, ...tailCells]];
  const hang = hangingIndent(indent, width);
  const own = dropLeadingSpaces(glyphs(tail));
  return [...rows, ...wrap([{ text: ' '.repeat(hang), style: PLAIN_STYLE }, ...own], width, hang)];
}

/** Continuation rows are indented by at most half the width, so a narrow terminal still has room for text. */
function hangingIndent(indent: number, width: number): number {
  return Math.min(indent, Math.floor(width / 2));
}

/** The glyphs after the last space that lies past `minColumn`: they move to the next row. */
function breakRow(row: readonly Glyph[], minColumn: number): Glyph[] {
  let column = 0;
  let breakAt = -1;
  row.forEach((glyph, index) => {
    column += glyph.width;
    if (glyph.text === ' ' && column > minColumn) breakAt = index + 1;
  });
  return breakAt < 0 || breakAt >= row.length ? [] : row.slice(breakAt);
}

function blank(width: number): Glyph[] {
  return Array.from({ length: width }, () => ({ text: ' ', width: 1, style: PLAIN_STYLE }));
}

function dropLeadingSpaces(items: readonly Glyph[]): Glyph[] {
  let start = 0;
  while (items[start]?.text === ' ') start += 1;
  return items.slice(start);
}

function trimTrailingSpaces(items: readonly Glyph[]): Glyph[] {
  let end = items.length;
  while (end > 0 && items[end - 1]?.text === ' ') end -= 1;
  return items.slice(0, end);
}
