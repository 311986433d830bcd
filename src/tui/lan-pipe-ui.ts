/**
 * LAN chat as a line filter (stdin not a terminal): each stdin line is sent to the group, each thing the
 * group says is printed to stdout in the relay's wording (lan-lines.ts), and the client's own notes go to
 * stderr as `udpchat: ...`, exactly as the relay's line filter (pipe-ui.ts) does. End of input, `/quit`,
 * `/leave` or a signal sends the leave datagram and exits 0.
 */
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { LanEvent } from '../lan/events.ts';
import type { LanChat } from '../lan-host/lan-chat.ts';
import { ChatExit, onTerminationSignals } from './chat-exit.ts';
import {
  LAN_HELP,
  LAN_SHOWN_EVENTS,
  lanEventLine,
  parseLanInput,
  unknownLanCommandText,
  whoLines,
} from './lan-lines.ts';

export interface LanPipeUiOptions {
  readonly input: Readable;
  readonly output: Writable;
  readonly errors: Writable;
  /** Monotonic ms, for /who's "heard N s ago" (the clock the chat runs on). */
  readonly clock: () => number;
}

export function runLanPipeUi(chat: LanChat, options: LanPipeUiOptions): Promise<number> {
  return new LanPipeUi(chat, options).run();
}

class LanPipeUi {
  private rl: Interface | undefined;
  private readonly exit: ChatExit;
  private removeSignals: () => void = () => {};

  constructor(
    private readonly chat: LanChat,
    private readonly options: LanPipeUiOptions,
  ) {
    this.exit = new ChatExit(chat, () => this.cleanup());
  }

  run(): Promise<number> {
    for (const name of LAN_SHOWN_EVENTS) this.chat.on(name, (event: LanEvent) => this.show(event));
    this.chat.on('refused', (event) => this.warn(event.refusal.message));
    this.removeSignals = onTerminationSignals(() => this.end());
    this.warn(`chatting on ${this.chat.groupLabel} as ${this.chat.nick} (no relay)`);
    this.rl = createInterface({
      input: this.options.input,
      terminal: false,
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    this.rl.on('line', (line) => this.onInput(line));
    this.rl.on('close', () => this.end());
    return this.exit.code;
  }

  private onInput(line: string): void {
    if (this.exit.ending) return;
    const input = parseLanInput(line);
    switch (input.kind) {
      case 'say':
        this.chat.say(input.text);
        return;
      case 'me':
        this.chat.act(input.text);
        return;
      case 'who':
        for (const who of whoLines(this.chat.groupLabel, this.chat.who(), this.options.clock()))
          this.print(who);
        return;
      case 'help':
        for (const help of LAN_HELP) this.warn(help);
        return;
      case 'quit':
        this.end();
        return;
      case 'unknown':
        this.warn(unknownLanCommandText(input.name));
    }
  }

  private show(event: LanEvent): void {
    const line = lanEventLine(event);
    if (line !== null) this.print(line);
  }

  private print(line: string): void {
    this.options.output.write(`${line}\n`);
  }

  private warn(message: string): void {
    this.options.errors.write(`udpchat: ${message}\n`);
  }

  private end(): void {
    this.exit.end(0);
  }

  private cleanup(): void {
    this.removeSignals();
    this.rl?.close();
    this.options.input.pause();
  }
}
