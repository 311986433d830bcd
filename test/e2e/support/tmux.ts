/**
 * A real terminal for end-to-end tests of the full-screen client: a detached tmux session of a fixed size,
 * driven with `send-keys` and read with `capture-pane`. Each test file gets its own tmux server (`-L`), with
 * no user configuration (`-f /dev/null`), so nothing on the machine interferes and nothing is left behind.
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Between two captures while waiting: short enough to be quick, long enough not to spin. */
const POLL_MS = 50;
export const TMUX_WAIT_MS = 10_000;

export interface PaneOptions {
  readonly command: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly columns?: number;
  readonly rows?: number;
}

/** True when a tmux binary can be run (CI installs it; a developer machine may not have it). */
export async function tmuxAvailable(): Promise<boolean> {
  try {
    await run('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
}

export class TmuxServer {
  private count = 0;
  readonly socket = `udpchat-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  async tmux(...args: string[]): Promise<string> {
    const { stdout } = await run('tmux', ['-L', this.socket, '-f', '/dev/null', ...args]);
    return stdout;
  }

  /** Starts `command` in a new detached session of the given size. */
  async start(options: PaneOptions): Promise<TmuxPane> {
    this.count += 1;
    const name = `pane${this.count}`;
    const env = Object.entries(options.env ?? {}).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
    const size = ['-x', String(options.columns ?? 100), '-y', String(options.rows ?? 30)];
    await this.tmux('new-session', '-d', '-s', name, ...size, ...env, shellCommand(options.command));
    // Keep a pane whose program exited, so a test can still read what it printed last.
    await this.tmux('set-option', '-t', name, 'remain-on-exit', 'on');
    return new TmuxPane(this, name);
  }

  /** Ends every session of this server (and the server), and removes its socket file. */
  async kill(): Promise<void> {
    let socketPath = '';
    try {
      socketPath = (await this.tmux('display-message', '-p', '#{socket_path}')).trim();
      await this.tmux('kill-server');
    } catch {
      // Already gone: nothing to stop.
    }
    if (socketPath !== '') await rm(socketPath, { force: true });
  }
}

export class TmuxPane {
  constructor(
    private readonly server: TmuxServer,
    readonly name: string,
  ) {}

  /** Types text literally (no key names are interpreted). */
  async type(text: string): Promise<void> {
    await this.server.tmux('send-keys', '-t', this.name, '-l', text);
  }

  /** Presses keys by tmux name: `Enter`, `M-2`, `C-n`, `Tab`, `PPage`. */
  async press(...keys: string[]): Promise<void> {
    await this.server.tmux('send-keys', '-t', this.name, ...keys);
  }

  /**
   * Pastes `text` as a terminal does: tmux's paste-buffer with -p wraps it in bracketed-paste markers when
   * the program asked for them (CSI ? 2004 h), and -r keeps line feeds as they are.
   */
  async paste(text: string): Promise<void> {
    const buffer = `paste-${this.name}`;
    await this.server.tmux('set-buffer', '-b', buffer, text);
    await this.server.tmux('paste-buffer', '-p', '-r', '-d', '-b', buffer, '-t', this.name);
  }

  /** Types a line and presses Enter. */
  async line(text: string): Promise<void> {
    await this.type(text);
    await this.press('Enter');
  }

  /** The screen as text, one string per row. */
  async capture(): Promise<string[]> {
    return (await this.server.tmux('capture-pane', '-p', '-t', this.name)).split('\n');
  }

  /** The screen with its colours, as escape sequences (for the README screenshot). */
  async captureWithColours(): Promise<string> {
    return this.server.tmux('capture-pane', '-p', '-e', '-t', this.name);
  }

  async resize(columns: number, rows: number): Promise<void> {
    await this.server.tmux('resize-window', '-t', this.name, '-x', String(columns), '-y', String(rows));
  }

  /** True once the program in the pane has exited. */
  async exited(): Promise<boolean> {
    return (await this.server.tmux('display-message', '-p', '-t', this.name, '#{pane_dead}')).trim() === '1';
  }

  /**
   * Polls the screen until `match` holds for it (a pattern any row matches, or a test of all rows), and
   * returns the screen; fails with the last screen after `timeoutMs`.
   */
  async waitFor(match: RegExp | ((rows: string[]) => boolean), timeoutMs = TMUX_WAIT_MS): Promise<string[]> {
    const test = match instanceof RegExp ? (rows: string[]) => rows.some((row) => match.test(row)) : match;
    const deadline = Date.now() + timeoutMs;
    let rows: string[] = [];
    while (Date.now() < deadline) {
      rows = await this.capture();
      if (test(rows)) return rows;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    throw new Error(
      `${this.name}: ${String(match)} not on screen after ${timeoutMs} ms; screen:\n${rows.join('\n')}`,
    );
  }
}

/** tmux runs the command through the shell: every word is single-quoted. */
function shellCommand(words: readonly string[]): string {
  return words.map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ');
}
