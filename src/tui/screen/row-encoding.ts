/**
 * A styled row as the text a terminal draws: the cells' text with SGR changes where the style changes. The
 * rows go to the shared full-screen binding (terminal/alternate-screen.ts), which draws the ones that changed.
 */
import { type Row, type Style, sameStyle } from './styled.ts';

const CSI = '\x1b[';

/** A row as text with SGR changes where the style changes; it always ends with the attributes reset. */
export function encodeRow(row: Row): string {
  let out = `${CSI}0m`;
  let current: Style = {};
  for (const cell of row) {
    if (cell.text === '') continue;
    if (!sameStyle(cell.style, current)) {
      out += sgr(cell.style);
      current = cell.style;
    }
    out += cell.text;
  }
  return `${out}${CSI}0m`;
}

/** Select Graphic Rendition (ECMA-48 8.3.117): reset, then the style's attributes and colours. */
export function sgr(style: Style): string {
  const codes = ['0'];
  if (style.bold) codes.push('1');
  if (style.dim) codes.push('2');
  if (style.underline) codes.push('4');
  if (style.reverse) codes.push('7');
  if (style.fg !== undefined) codes.push(colourCode(style.fg, 30, 90, 38));
  if (style.bg !== undefined) codes.push(colourCode(style.bg, 40, 100, 48));
  return `${CSI}${codes.join(';')}m`;
}

/** The 16 basic colours by their classic codes (every terminal has them), the rest as 256-colour indices. */
function colourCode(colour: number, base: number, bright: number, extended: number): string {
  if (colour < 8) return String(base + colour);
  if (colour < 16) return String(bright + colour - 8);
  return `${extended};5;${colour}`;
}
