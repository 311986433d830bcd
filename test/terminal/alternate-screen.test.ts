import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { AlternateScreen, type TerminalInput } from '../../src/terminal/alternate-screen.ts';

/** A terminal's output side: a real stream that keeps what was written, with a size. */
class Output extends Writable {
  readonly chunks: string[] = [];

  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super({
      write: (chunk: Buffer | string, _encoding, done) => {
        this.chunks.push(String(chunk));
        done();
      },
    });
  }

  /** What the last write() held. */
  get last(): string {
    return this.chunks.at(-1) ?? '';
  }
}

class Input implements TerminalInput {
  readonly isTTY = true;
  readonly modes: boolean[] = [];

  setRawMode(mode: boolean): void {
    this.modes.push(mode);
  }
}

const SYNC_BEGIN = '\x1b[?2026h';
const SYNC_END = '\x1b[?2026l';
const row = (index: number, text: string): string => `\x1b[${index + 1};1H\x1b[0m\x1b[2K${text}`;

function entered(bracketedPaste = false): { screen: AlternateScreen; output: Output; input: Input } {
  const output = new Output(20, 5);
  const input = new Input();
  const screen = new AlternateScreen(output, input, { bracketedPaste });
  screen.enter();
  return { screen, output, input };
}

describe('the alternate-screen binding', () => {
  it('takes the terminal over: alternate screen, no autowrap, no cursor, a clear screen, raw input', () => {
    const { screen, output, input } = entered();
    try {
      assert.equal(output.last, '\x1b[?1049h\x1b[?7l\x1b[?25l\x1b[2J');
      assert.deepEqual(input.modes, [true]);
      assert.deepEqual(screen.size, { columns: 20, rows: 5 });
    } finally {
      screen.leave();
    }
  });

  it('asks for bracketed paste only when told to, and turns it off again', () => {
    const { screen, output } = entered(true);
    assert.equal(output.last, '\x1b[?1049h\x1b[?7l\x1b[?2004h\x1b[?25l\x1b[2J');
    screen.leave();
    assert.equal(output.last, '\x1b[0m\x1b[?2004l\x1b[?7h\x1b[?25h\x1b[?1049l');
  });

  it('draws a frame inside one synchronized update, then only the rows that changed', () => {
    const { screen, output } = entered();
    try {
      screen.draw(['one', 'two', 'three'], { row: 2, column: 4 });
      assert.equal(
        output.last,
        `${SYNC_BEGIN}\x1b[?25l${row(0, 'one')}${row(1, 'two')}${row(2, 'three')}\x1b[3;5H\x1b[?25h${SYNC_END}`,
      );
      screen.draw(['one', '2', 'three'], { row: 1, column: 1 });
      assert.equal(output.last, `${SYNC_BEGIN}\x1b[?25l${row(1, '2')}\x1b[2;2H\x1b[?25h${SYNC_END}`);
    } finally {
      screen.leave();
    }
  });

  it('erases the rows a shorter frame no longer has, and keeps the cursor hidden without a position', () => {
    const { screen, output } = entered();
    try {
      screen.draw(['a', 'b', 'c'], null);
      screen.draw(['a'], null);
      assert.equal(output.last, `${SYNC_BEGIN}\x1b[?25l${row(1, '')}${row(2, '')}${SYNC_END}`);
    } finally {
      screen.leave();
    }
  });

  it('after invalidate() clears the screen and draws every row again', () => {
    const { screen, output } = entered();
    try {
      screen.draw(['a', 'b'], null);
      screen.invalidate();
      screen.draw(['a', 'b'], null);
      assert.equal(
        output.last,
        `${SYNC_BEGIN}\x1b[?25l\x1b[0m\x1b[2J${row(0, 'a')}${row(1, 'b')}${SYNC_END}`,
      );
    } finally {
      screen.leave();
    }
  });

  it('gives the terminal back once, at leave() or at process exit, and draws nothing afterwards', () => {
    const exitListeners = process.listenerCount('exit');
    const { screen, output, input } = entered();
    assert.equal(process.listenerCount('exit'), exitListeners + 1, 'restores the terminal at exit');
    screen.leave();
    screen.leave();
    assert.equal(process.listenerCount('exit'), exitListeners);
    assert.deepEqual(input.modes, [true, false]);
    const writes = output.chunks.length;
    screen.draw(['late'], null);
    assert.equal(output.chunks.length, writes);
  });

  it('falls back to 80 x 24 when the output reports no size', () => {
    const screen = new AlternateScreen(new Output(0, 0), new Input());
    assert.deepEqual(screen.size, { columns: 80, rows: 24 });
  });
});
