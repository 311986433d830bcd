/**
 * `udpchat top` on the shared full-screen binding (terminal/alternate-screen.ts): keys are read raw and
 * q, Ctrl-C or Ctrl-D quits; a resize redraws. Frames have no cursor, so it stays hidden.
 */
import type { ReadStream, WriteStream } from 'node:tty';
import { AlternateScreen } from '../terminal/alternate-screen.ts';

const QUIT_KEYS: ReadonlySet<string> = new Set(['q', 'Q', '\x03', '\x04']);

export class TopScreen {
  private readonly screen: AlternateScreen;
  private readonly onKey = (data: Buffer): void => {
    if ([...data.toString('utf8')].some((key) => QUIT_KEYS.has(key))) this.quit();
  };

  constructor(
    private readonly input: ReadStream,
    private readonly output: WriteStream,
    private readonly quit: () => void,
  ) {
    this.screen = new AlternateScreen(output, input);
    this.screen.enter();
    input.on('data', this.onKey);
    input.resume();
  }

  get width(): number {
    return this.screen.size.columns;
  }

  get height(): number {
    return this.screen.size.rows;
  }

  onResize(redraw: () => void): void {
    this.output.on('resize', () => {
      this.screen.invalidate();
      redraw();
    });
  }

  draw(lines: readonly string[]): void {
    this.screen.draw(lines, null);
  }

  close(): void {
    this.input.off('data', this.onKey);
    this.input.pause();
    this.screen.leave();
  }
}
