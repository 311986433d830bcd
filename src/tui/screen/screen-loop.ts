/**
 * What both full-screen chat UIs (the relay's, app.ts, and the LAN's, lan-app.ts) do with the terminal:
 * own the alternate screen, decode raw stdin into keys (a lone ESC waits a moment for the rest of a
 * sequence), schedule one frame per turn of the event loop however many changes came (a burst of datagrams
 * or a paste costs one redraw), redraw every second for the clock, follow resizes, and give everything
 * back at the end. What a key does and what a frame shows stay with the UI (ScreenUi).
 */
import { AlternateScreen, type TerminalInput, type TerminalOutput } from '../../terminal/alternate-screen.ts';
import type { InputLine } from './input-line.ts';
import { type Key, KeyDecoder } from './keys.ts';
import type { ChatModel } from './model.ts';
import type { Renderer, ScreenState } from './render.ts';
import { encodeRow } from './row-encoding.ts';
import type { StatusInfo } from './status-bar.ts';

/** How long a lone ESC waits for the rest of a sequence before it counts as the Escape key. */
const ESCAPE_WAIT_MS = 40;
const STATUS_REDRAW_MS = 1_000;

export interface ScreenUi {
  /** One key; text and pastes too. A frame is scheduled after each batch. */
  key(pressed: Key): void;
  /** Draws the current frame on the terminal (`terminal.draw`). */
  draw(terminal: AlternateScreen): void;
  /** Input ended or the terminal hung up: the UI ends (and calls ScreenLoop.stop). */
  end(): void;
}

export class ScreenLoop {
  readonly terminal: AlternateScreen;
  private readonly decoder = new KeyDecoder();
  private renderQueued = false;
  private stopped = false;
  private escapeTimer: NodeJS.Timeout | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  private readonly onData = (chunk: string | Buffer): void => this.keys(this.decoder.feed(String(chunk)));
  private readonly onResize = (): void => this.redraw();
  private readonly onEnd = (): void => this.ui.end();

  constructor(
    private readonly input: NodeJS.ReadableStream & TerminalInput,
    private readonly output: TerminalOutput & NodeJS.EventEmitter,
    private readonly ui: ScreenUi,
  ) {
    this.terminal = new AlternateScreen(output, input, { bracketedPaste: true });
  }

  /** Takes the screen and the keyboard, and draws the first frame. */
  start(): void {
    this.terminal.enter();
    this.input.setEncoding('utf8');
    this.input.on('data', this.onData);
    this.input.on('end', this.onEnd);
    this.input.resume();
    this.output.on('resize', this.onResize);
    process.on('SIGHUP', this.onEnd);
    this.statusTimer = setInterval(() => this.schedule(), STATUS_REDRAW_MS);
    this.ui.draw(this.terminal);
  }

  /** One frame on the next turn of the event loop, however many changes ask for it meanwhile. */
  schedule(): void {
    if (this.renderQueued || this.stopped) return;
    this.renderQueued = true;
    setImmediate(() => {
      this.renderQueued = false;
      if (!this.stopped) this.ui.draw(this.terminal);
    });
  }

  /** Everything again (Ctrl-L, a resize). */
  redraw(): void {
    this.terminal.invalidate();
    this.schedule();
  }

  /**
   * Ctrl-Z: the shell gets the terminal back until `fg`. A signal sent to ourselves is delivered before
   * kill() returns, so when it returns we were either stopped and continued, or (no job control: an
   * orphaned process group discards SIGTSTP) never stopped; either way the screen is ours again.
   */
  suspend(): void {
    this.terminal.leave();
    process.kill(process.pid, 'SIGTSTP');
    this.terminal.enter();
    this.redraw();
  }

  /** Gives the terminal back: no more keys, frames or timers. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.statusTimer);
    clearTimeout(this.escapeTimer);
    process.off('SIGHUP', this.onEnd);
    this.input.off('data', this.onData);
    this.input.off('end', this.onEnd);
    this.output.off('resize', this.onResize);
    this.terminal.leave();
    this.input.pause();
  }

  private keys(keys: readonly Key[]): void {
    clearTimeout(this.escapeTimer);
    if (this.decoder.waiting)
      this.escapeTimer = setTimeout(() => this.keys(this.decoder.flush()), ESCAPE_WAIT_MS);
    for (const pressed of keys) this.ui.key(pressed);
    this.schedule();
  }
}

/** One frame of a chat screen: the buffers, the input line and the status bar, at the terminal's size. */
export function drawChat(
  terminal: AlternateScreen,
  renderer: Renderer,
  model: ChatModel,
  input: InputLine,
  status: StatusInfo,
  extras: Pick<ScreenState, 'nickPane' | 'question'> = {},
): void {
  const frame = renderer.render({ buffers: model.buffers, input, status, ...extras }, terminal.size);
  model.focused.scroll = frame.scroll;
  terminal.draw(frame.rows.map(encodeRow), frame.cursor);
}
