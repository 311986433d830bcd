/**
 * The one full-screen terminal binding, shared by the chat UI (tui/) and `udpchat top`. It takes the
 * terminal over (alternate screen, so the shell's scrollback is left as it was; raw input; no autowrap;
 * optionally bracketed paste), draws frames of ready-encoded rows by rewriting only the rows that changed,
 * inside a synchronized update (DEC mode 2026: terminals that know it show a frame at once, the others
 * ignore it), and gives everything back on leave(), which also runs at process exit.
 *
 * Autowrap is off while we draw: if a terminal measures some character wider than we did, the row is cut
 * at the right edge instead of spilling into the next row, so the layout never breaks. A changed row is
 * erased before it is written (erasing after it would take the last column of a full row with it), so a
 * row shorter than the last one leaves nothing behind.
 */
import type { Writable } from 'node:stream';

const CSI = '\x1b[';
const ALTERNATE_SCREEN_ON = `${CSI}?1049h`;
const ALTERNATE_SCREEN_OFF = `${CSI}?1049l`;
const AUTOWRAP_ON = `${CSI}?7h`;
const AUTOWRAP_OFF = `${CSI}?7l`;
const PASTE_ON = `${CSI}?2004h`;
const PASTE_OFF = `${CSI}?2004l`;
const CURSOR_HIDDEN = `${CSI}?25l`;
const CURSOR_SHOWN = `${CSI}?25h`;
const ATTRIBUTES_RESET = `${CSI}0m`;
const CLEAR_SCREEN = `${CSI}2J`;
const ERASE_ROW = `${CSI}2K`;
const SYNC_BEGIN = `${CSI}?2026h`;
const SYNC_END = `${CSI}?2026l`;

/** Columns and rows when the output does not say (a pipe, a terminal that reports 0). */
const FALLBACK_COLUMNS = 80;
const FALLBACK_ROWS = 24;

export interface TerminalOutput extends Writable {
  readonly columns?: number;
  readonly rows?: number;
}

export interface TerminalInput {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface ScreenModes {
  /** Pasted text arrives between ESC [200~ and ESC [201~ (the chat UI reads a paste as one edit). */
  readonly bracketedPaste?: boolean;
}

export interface ScreenPosition {
  readonly row: number;
  readonly column: number;
}

export interface ScreenSize {
  readonly columns: number;
  readonly rows: number;
}

export class AlternateScreen {
  private shown: string[] = [];
  private active = false;
  private clearFirst = false;
  private readonly restoreAtExit = (): void => this.leave();

  constructor(
    private readonly output: TerminalOutput,
    private readonly input: TerminalInput,
    private readonly modes: ScreenModes = {},
  ) {}

  get size(): ScreenSize {
    return {
      columns: positiveOr(this.output.columns, FALLBACK_COLUMNS),
      rows: positiveOr(this.output.rows, FALLBACK_ROWS),
    };
  }

  enter(): void {
    if (this.active) return;
    this.active = true;
    if (this.input.isTTY) this.input.setRawMode?.(true);
    const paste = this.modes.bracketedPaste === true ? PASTE_ON : '';
    this.output.write(`${ALTERNATE_SCREEN_ON}${AUTOWRAP_OFF}${paste}${CURSOR_HIDDEN}${CLEAR_SCREEN}`);
    this.shown = [];
    // However the process ends, the terminal is given back (an exception would leave it raw otherwise).
    process.once('exit', this.restoreAtExit);
  }

  /** Restores the terminal as it was; safe to call twice. */
  leave(): void {
    if (!this.active) return;
    this.active = false;
    process.off('exit', this.restoreAtExit);
    const paste = this.modes.bracketedPaste === true ? PASTE_OFF : '';
    this.output.write(`${ATTRIBUTES_RESET}${paste}${AUTOWRAP_ON}${CURSOR_SHOWN}${ALTERNATE_SCREEN_OFF}`);
    if (this.input.isTTY) this.input.setRawMode?.(false);
  }

  /** After a resize (or Ctrl-L) nothing on screen can be trusted: the next frame clears and redraws all. */
  invalidate(): void {
    this.shown = [];
    this.clearFirst = true;
  }

  /**
   * Draws `rows` (each a complete row: text with its own SGR codes, which should end with the attributes
   * reset) from the top, then shows the cursor at `cursor`, or leaves it hidden when there is none.
   */
  draw(rows: readonly string[], cursor: ScreenPosition | null): void {
    if (!this.active) return;
    let out = `${SYNC_BEGIN}${CURSOR_HIDDEN}`;
    if (this.clearFirst) out += `${ATTRIBUTES_RESET}${CLEAR_SCREEN}`;
    this.clearFirst = false;
    const last = Math.max(rows.length, this.shown.length);
    for (let index = 0; index < last; index++) {
      const row = rows[index] ?? '';
      if (this.shown[index] !== row) out += `${moveTo(index, 0)}${ATTRIBUTES_RESET}${ERASE_ROW}${row}`;
    }
    this.shown = [...rows];
    if (cursor !== null) out += `${moveTo(cursor.row, cursor.column)}${CURSOR_SHOWN}`;
    this.output.write(`${out}${SYNC_END}`);
  }
}

/** Cursor Position (ECMA-48 8.3.21), 1-based. */
function moveTo(row: number, column: number): string {
  return `${CSI}${row + 1};${column + 1}H`;
}

function positiveOr(value: number | undefined, fallback: number): number {
  return value !== undefined && value > 0 ? value : fallback;
}
