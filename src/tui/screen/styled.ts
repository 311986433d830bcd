/**
 * Styled text, as the pure parts of the UI produce it: spans of text with a style, and rows of cells that
 * fill the screen's width exactly. Only row-encoding.ts turns a style into escape codes.
 */

/** Colours are xterm 256-colour indices: 0-15 the terminal's own palette, 16-255 the fixed cube and greys. */
export type Colour = number;

export interface Style {
  readonly fg?: Colour;
  readonly bg?: Colour;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly reverse?: boolean;
  readonly underline?: boolean;
}

export const PLAIN_STYLE: Style = {};

export interface Span {
  readonly text: string;
  readonly style: Style;
}

/** One terminal column. A wide character's second column is a cell with empty text. */
export interface Cell {
  readonly text: string;
  readonly style: Style;
}

export type Row = readonly Cell[];

export function span(text: string, style: Style = PLAIN_STYLE): Span {
  return { text, style };
}

export function sameStyle(a: Style, b: Style): boolean {
  return (
    a.fg === b.fg &&
    a.bg === b.bg &&
    a.bold === b.bold &&
    a.dim === b.dim &&
    a.reverse === b.reverse &&
    a.underline === b.underline
  );
}

/** A row's text without styles (a wide character's second cell adds nothing): what tests compare. */
export function rowText(row: Row): string {
  return row.map((cell) => cell.text).join('');
}
