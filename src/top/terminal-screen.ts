/**
 * The full-screen terminal binding of `udpchat top`: the alternate screen (so the shell's scrollback is
 * left as it was), no cursor, keys read raw (q or Ctrl-C quits), and frames drawn by overwriting in place
 * from the top-left corner, clearing only what each line leaves over: no full clear, so no flicker.
 * Whatever happens, `close` (also run at process exit) gives the terminal back as it was.
 */
import type { ReadStream, WriteStream } from 'node:tty';

const ENTER = '\x1b[?1049h\x1b[?25l';
const LEAVE = '\x1b[?25h\x1b[?1049l';
/** Synchronized output (DEC mode 2026): terminals that know it show a frame at once; others ignore it. */
const FRAME_BEGIN = '\x1b[?2026h\x1b[H';
const FRAME_END = '\x1b[J\x1b[?2026l';
const CLEAR_TO_END_OF_LINE = '\x1b[K';
const QUIT_KEYS = new Set(['q', 'Q', '\x03', '\x04']);

export class TerminalScreen {
  private closed = false;
  private readonly restoreAtExit = (): void => this.close();
  private readonly onKey = (data: Buffer): void => {
    if ([...data.toString('utf8')].some((key) => QUIT_KEYS.has(key))) this.quit();
  };

  constructor(
    private readonly input: ReadStream,
    private readonly output: WriteStream,
    private readonly quit: () => void,
  ) {
    output.write(ENTER);
    input.setRawMode(true);
    input.on('data', this.onKey);
    input.resume();
    process.once('exit', this.restoreAtExit);
  }

  get width(): number {
    return this.output.columns || 80;
  }

  get height(): number {
    return this.output.rows || 24;
  }

  onResize(redraw: () => void): void {
    this.output.on('resize', redraw);
  }

  draw(lines: readonly string[]): void {
    if (this.closed) return;
    this.output.write(
      FRAME_BEGIN + lines.map((line) => line + CLEAR_TO_END_OF_LINE).join('\r\n') + FRAME_END,
    );
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    process.off('exit', this.restoreAtExit);
    this.input.off('data', this.onKey);
    this.input.setRawMode(false);
    this.input.pause();
    this.output.write(LEAVE);
  }
}
