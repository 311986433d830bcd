/**
 * The only file that writes escape codes. It takes the terminal over (alternate screen, raw input, no
 * autowrap, bracketed paste), draws frames by rewriting only the rows that changed, inside a synchronized
 * update (DEC mode 2026) so a frame appears at once, and gives everything back on leave().
 *
 * Autowrap is off while we draw: if a terminal measures some character wider than we did, the row is cut
 * at the right edge instead of spilling into the next row, so the layout never breaks.
 */
import type { Writable } from 'node:stream';
import type { Frame } from './render.ts';
import { type Row, type Style, sameStyle } from './styled.ts';

const CSI = '\x1b[';
const ENTER = `${CSI}?1049h${CSI}?7l${CSI}?2004h${CSI}?25l${CSI}2J`;
const LEAVE = `${CSI}0m${CSI}?2004l${CSI}?7h${CSI}?25h${CSI}?1049l`;
const SYNC_BEGIN = `${CSI}?2026h`;
const SYNC_END = `${CSI}?2026l`;

export interface TerminalOutput extends Writable {
  readonly columns?: number;
  readonly rows?: number;
}

export interface TerminalInput {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export class Terminal {
  private shown: string[] = [];
  private active = false;
  private clearFirst = false;

  constructor(
    private readonly output: TerminalOutput,
    private readonly input: TerminalInput,
  ) {}

  get size(): { columns: number; rows: number } {
    return { columns: this.output.columns ?? 80, rows: this.output.rows ?? 24 };
  }

  enter(): void {
    if (this.active) return;
    this.active = true;
    if (this.input.isTTY) this.input.setRawMode?.(true);
    this.output.write(ENTER);
    this.shown = [];
  }

  /** Restores the terminal as it was; safe to call twice (and from an exit handler). */
  leave(): void {
    if (!this.active) return;
    this.active = false;
    this.output.write(LEAVE);
    if (this.input.isTTY) this.input.setRawMode?.(false);
  }

  /** After a resize (or Ctrl-L) nothing on screen can be trusted: the next frame clears and redraws all. */
  invalidate(): void {
    this.shown = [];
    this.clearFirst = true;
  }

  draw(frame: Frame): void {
    if (!this.active) return;
    let out = `${SYNC_BEGIN}${CSI}?25l`;
    if (this.clearFirst) out += `${CSI}0m${CSI}2J`;
    this.clearFirst = false;
    const next = frame.rows.map(encodeRow);
    next.forEach((encoded, index) => {
      if (this.shown[index] !== encoded) out += `${CSI}${index + 1};1H${encoded}`;
    });
    this.shown = next;
    out += `${CSI}${frame.cursor.row + 1};${frame.cursor.column + 1}H${CSI}?25h${SYNC_END}`;
    this.output.write(out);
  }
}

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
