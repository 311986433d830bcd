/**
 * The interactive terminal client: a `> ` prompt, incoming lines printed above it. An incoming line never
 * clobbers what the user is typing: the prompt and the partial input are erased, the line printed, and both
 * redrawn with the cursor where it was (the seed's `\r{line}\n> ` loses the partial input).
 */
import { clearScreenDown, createInterface, cursorTo, type Interface, moveCursor } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { isKeyCommand } from '../client/key-command.ts';
import type { ChatClientApi } from '../client-host/chat-client-api.ts';
import { displayWidth } from '../terminal/width.ts';
import { ChatExit, onTerminationSignals } from './chat-exit.ts';
import {
  answeringMessage,
  type DisplayStyle,
  formatAction,
  formatChat,
  formatLine,
  formatLocal,
  formatNotice,
  gapMessage,
  movedText,
  PLAIN,
  PRIVATE_TAG,
  rejoiningMessage,
  roomLineTag,
  silenceMessage,
  skippedText,
} from './format.ts';
import { UndeliveredReporter } from './pending-lines.ts';
import { RoomKeys } from './room-keys.ts';

export interface LineUiOptions {
  readonly input: Readable;
  /** Colours, timestamps and redrawing are used only when this is a TTY. */
  readonly output: Writable & { readonly isTTY?: boolean };
  /** A human label for the relay in local messages, e.g. `127.0.0.1:9999`. */
  readonly relayLabel: string;
  readonly clock?: () => Date;
}

/** Runs until the user leaves (or the relay refuses us); resolves with the process exit code. */
export function runLineUi(client: ChatClientApi, options: LineUiOptions): Promise<number> {
  return new LineUi(client, options).run();
}

class LineUi {
  private readonly tty: boolean;
  private readonly style: DisplayStyle;
  private readonly rl: Interface;
  private readonly exit: ChatExit;
  private readonly clock: () => Date;
  private readonly undelivered: UndeliveredReporter;
  private readonly roomKeys: RoomKeys;
  /** Typed lines, one after another: a line after a /key waits until the key is held. */
  private queue: Promise<void> = Promise.resolve();
  private removeSignals: () => void = () => {};

  constructor(
    private readonly client: ChatClientApi,
    private readonly options: LineUiOptions,
  ) {
    this.tty = options.output.isTTY === true;
    this.style = this.tty ? { colour: true, timestamps: true } : PLAIN;
    this.clock = options.clock ?? (() => new Date());
    this.rl = createInterface({
      input: options.input,
      output: options.output,
      prompt: '> ',
      terminal: this.tty,
    });
    this.exit = new ChatExit(client, () => this.cleanup());
    this.undelivered = new UndeliveredReporter(client, (message) => this.printLocal(message));
    this.roomKeys = new RoomKeys(client, (note) => this.printLocal(note.text));
  }

  run(): Promise<number> {
    this.showRelayEvents();
    // readline records a line before it hands it over: a /key line (its passphrase) is taken out again.
    this.rl.on('history', (history: string[]) => withoutKeyLines(history));
    this.rl.on('line', (line) => {
      this.queue = this.queue.then(() => this.onInput(line));
    });
    // Ctrl-C arrives as readline's SIGINT in raw mode; Ctrl-D closes the interface.
    this.rl.on('SIGINT', () => this.exit.end(0));
    this.rl.on('close', () => {
      this.queue = this.queue.then(() => this.exit.end(0));
    });
    this.removeSignals = onTerminationSignals(() => this.exit.end(0));
    this.rl.prompt();
    return this.exit.code;
  }

  private showRelayEvents(): void {
    const { client, style } = this;
    const relay = this.options.relayLabel;
    client.on('welcome', (e) => this.print(formatNotice(e.line, style, this.clock())));
    client.on('notice', (e) => this.print(formatNotice(e.line, style, this.clock())));
    client.on('chat', (e) => {
      this.roomKeys.seen(e);
      this.print(formatChat(e.nick, e.text, style, this.clock(), roomLineTag(e.room, e.e2e)));
    });
    client.on('action', (e) => {
      this.roomKeys.seen(e);
      this.print(formatAction(e.nick, e.text, style, this.clock(), roomLineTag(e.room, e.e2e)));
    });
    client.on('private', (e) =>
      this.print(
        e.action
          ? formatAction(e.nick, e.text, style, this.clock(), PRIVATE_TAG)
          : formatChat(e.nick, e.text, style, this.clock(), PRIVATE_TAG),
      ),
    );
    client.on('line', (e) => this.print(formatLine(e.line, style, this.clock())));
    // History comes as the relay marked it ([history #room TIME #id] ...), so it never reads as live.
    client.on('history', (e) => {
      this.roomKeys.seen(e);
      this.print(formatLine(e.line, style, this.clock()));
    });
    client.on('history-end', (e) => this.print(formatLine(e.line, style, this.clock())));
    client.on('gap-filled', (e) =>
      this.printLocal(`${e.count === 1 ? '1 line' : `${e.count} lines`} in ${e.room} while you were away`),
    );
    client.on('silent', (e) => this.printLocal(silenceMessage(relay, e.seconds)));
    client.on('answering', (e) => this.printLocal(answeringMessage(relay, e.silentSeconds)));
    client.on('rejoining', () => this.printLocal(rejoiningMessage(relay)));
    client.on('moved', (e) => this.printLocal(movedText(e, client.nick)));
    client.on('relay-skipped', (e) => this.printLocal(skippedText(e)));
    client.on('gap', (e) => this.printLocal(gapMessage(e.count)));
    client.on('refused', (e) => {
      this.print(formatNotice(e.line, style, this.clock()));
      this.exit.end(1);
    });
    client.on('error', (e) => {
      this.printLocal(e.message);
      this.exit.end(1);
    });
  }

  private async onInput(line: string): Promise<void> {
    if (this.exit.ending) return;
    // The seed's chat.py: /leave sends /leave and quits.
    if (line === '/leave') {
      this.exit.end(0);
      return;
    }
    if (this.roomKeys.takes(line)) {
      this.eraseTyped(line);
      await this.roomKeys.run(line);
    } else this.undelivered.say((text) => this.client.say(text), line);
    this.rl.prompt();
  }

  /**
   * A terminal shows what was typed until it scrolls away, and keeps it in its scrollback: the rows the
   * /key line took (readline has just moved below them) are cleared before anything else is printed.
   */
  private eraseTyped(line: string): void {
    if (!this.tty) return;
    const out = this.options.output;
    const columns = (out as { readonly columns?: number }).columns ?? 80;
    const rows = Math.max(1, Math.ceil(displayWidth(`> ${line}`) / Math.max(1, columns)));
    moveCursor(out, 0, -rows);
    cursorTo(out, 0);
    clearScreenDown(out);
  }

  private printLocal(message: string): void {
    this.print(formatLocal(message, this.style, this.clock()));
  }

  /** Prints a whole line above the prompt, then redraws the prompt and the partial input. */
  private print(text: string): void {
    const out = this.options.output;
    if (!this.tty || this.exit.ending) {
      out.write(`${text}\n`);
      return;
    }
    moveCursor(out, 0, -this.rl.getCursorPos().rows);
    cursorTo(out, 0);
    clearScreenDown(out);
    // readline's redraw starts by moving up as many rows as it last drew below the prompt's first row; the
    // extra newlines give it those rows back, and it clears them as it redraws the prompt and the input.
    out.write(`${text}\n${'\n'.repeat(redrawRowsAbove(this.rl))}`);
    this.rl.prompt(true);
  }

  private cleanup(): void {
    this.removeSignals();
    this.rl.close();
  }
}

/** Takes every /key line out of readline's history, in place (its own array, handed to 'history'). */
function withoutKeyLines(history: string[]): void {
  for (let i = history.length - 1; i >= 0; i--) if (isKeyCommand(history[i] ?? '')) history.splice(i, 1);
}

/**
 * How many rows readline will move up before redrawing: its `prevRows`, not always the cursor's current
 * row (a pasted chunk that wraps is written without updating it). Read defensively, as it is internal.
 */
function redrawRowsAbove(rl: Interface): number {
  const prevRows: unknown = Reflect.get(rl, 'prevRows');
  return typeof prevRows === 'number' && Number.isInteger(prevRows) && prevRows > 0 ? prevRows : 0;
}
