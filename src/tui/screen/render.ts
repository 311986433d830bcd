/**
 * One frame from the UI state: a title bar, the focused buffer's lines (bottom-aligned, scrolled, with the
 * read marker where we left off), the status bar and the input line. Pure: the same state and size give the
 * same rows, which the screen binding (terminal/alternate-screen.ts) diffs against what is on screen.
 */

import { clusterWidth } from '../../terminal/width.ts';
import type { BufferList, ChatBuffer } from './buffers.ts';
import type { InputLine } from './input-line.ts';
import { cells, fitRow, type Glyph, glyphs, padRow } from './layout.ts';
import type { LineView } from './line-view.ts';
import { messageColumns, nickPaneRows, nickPaneShown } from './nick-pane.ts';
import { type StatusInfo, statusSpans, titleSpans } from './status-bar.ts';
import { type Cell, type Row, span } from './styled.ts';
import { barStyle, fg, type Theme } from './theme.ts';

export interface ScreenState {
  readonly buffers: BufferList;
  readonly input: InputLine;
  readonly status: StatusInfo;
  /** The nick-list pane is wanted (it is drawn for a joined room when the screen is wide enough). */
  readonly nickPane?: boolean;
  /** A question that takes the input line's place until it is answered (a long paste). */
  readonly question?: string | null;
}

export interface Frame {
  readonly rows: readonly Row[];
  readonly cursor: { readonly row: number; readonly column: number };
  /** The focused buffer's scroll, clamped to what there is to see. */
  readonly scroll: number;
}

export interface ScreenSize {
  readonly columns: number;
  readonly rows: number;
}

/** Rows that are not messages: title, status and input. */
const CHROME_ROWS = 3;

export class Renderer {
  constructor(
    private readonly view: LineView,
    private readonly theme: Theme,
  ) {}

  render(state: ScreenState, size: ScreenSize): Frame {
    const columns = Math.max(1, size.columns);
    const areaHeight = Math.max(0, size.rows - CHROME_ROWS);
    const focused = state.buffers.focused;
    const pane = nickPaneShown(state.nickPane ?? false, focused, columns);
    const area = this.messageRows(focused, messageColumns(columns, pane), areaHeight);
    const paneRows = pane ? nickPaneRows(focused, areaHeight, this.theme) : [];
    const input = this.inputRow(state, columns);
    const rows: Row[] = [
      fitRow(titleSpans(focused, this.theme, state.status.sealed === true), columns, barStyle(this.theme)),
      ...area.rows.map((row, index) => (pane ? [...row, ...(paneRows[index] ?? [])] : row)),
      fitRow(
        statusSpans(state.status, state.buffers, this.theme, area.scroll > 0, columns),
        columns,
        barStyle(this.theme),
      ),
      input.row,
    ];
    // A terminal too small for the chrome keeps the rows nearest the input line.
    const visible = rows.slice(Math.max(0, rows.length - Math.max(1, size.rows)));
    return { rows: visible, cursor: { row: visible.length - 1, column: input.cursor }, scroll: area.scroll };
  }

  /** The rows the buffer shows: `height` of them, bottom-aligned, `buffer.scroll` rows up from the end. */
  private messageRows(buffer: ChatBuffer, columns: number, height: number): { rows: Row[]; scroll: number } {
    const wanted = height + buffer.scroll;
    const collected: Cell[][] = [];
    for (let index = buffer.lines.length - 1; index >= 0 && collected.length < wanted; index -= 1) {
      const line = buffer.lines[index];
      if (line === undefined) continue;
      const laterLine = buffer.lines[index + 1];
      if (laterLine !== undefined && line.seq === buffer.readMarker) collected.push(this.markerRow(columns));
      const rows = this.view.rows(line, columns);
      for (let row = rows.length - 1; row >= 0; row -= 1) collected.push(rows[row] ?? []);
    }
    const scroll = Math.max(0, Math.min(buffer.scroll, collected.length - height));
    const shown = collected.slice(scroll, scroll + height).reverse();
    const blank: Row[] = Array.from({ length: height - shown.length }, () => padRow([], columns));
    return { rows: [...blank, ...shown.map((row) => padRow(row, columns))], scroll };
  }

  private markerRow(columns: number): Cell[] {
    return cells(glyphs([span('-'.repeat(columns), fg(this.theme, this.theme.marker))]));
  }

  /**
   * `[#room] text`, scrolled sideways so the cursor is always on screen. The last column stays free so a
   * cursor after the last character never makes the terminal wrap.
   */
  private inputRow(state: ScreenState, columns: number): { row: Row; cursor: number } {
    const question = state.question ?? null;
    if (question !== null) {
      const asked = fitRow([span(question, barStyle(this.theme, { bold: true }))], columns - 1);
      return {
        row: padRow(asked, columns),
        cursor: Math.min(columns - 1, widthOf(glyphs([span(question)]))),
      };
    }
    const prompt = glyphs([span(`[${state.buffers.focused.name}] `, { bold: true })]);
    const promptWidth = Math.min(prompt.length === 0 ? 0 : widthOf(prompt), Math.floor(columns / 3));
    const room = Math.max(1, columns - promptWidth - 1);
    const text = inputGlyphs(state.input.clusters);
    const cursorIndex = state.input.cursor;
    let start = 0;
    while (start < cursorIndex && widthOf(text.slice(start, cursorIndex)) > room - 1) start += 1;
    const shown: Glyph[] = [];
    let used = 0;
    for (const glyph of text.slice(start)) {
      if (used + glyph.width > room) break;
      shown.push(glyph);
      used += glyph.width;
    }
    const promptCells = padRow(cells(prompt), promptWidth);
    const row = padRow([...promptCells, ...cells(shown)], columns);
    return { row, cursor: Math.min(columns - 1, promptWidth + widthOf(text.slice(start, cursorIndex))) };
  }
}

function widthOf(items: readonly { readonly width: number }[]): number {
  let width = 0;
  for (const item of items) width += item.width;
  return width;
}

/**
 * One glyph per input cluster, so the cursor (a cluster index) maps straight onto the row. A cluster with
 * no width of its own (a lone joiner or mark) is shown as a dim `?`: what is typed is never invisible.
 */
function inputGlyphs(clusters: readonly string[]): Glyph[] {
  return clusters.map((cluster) => {
    const width = clusterWidth(cluster);
    return width === 0 ? { text: '?', width: 1, style: { dim: true } } : { text: cluster, width, style: {} };
  });
}
