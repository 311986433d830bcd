/**
 * The full-screen UI for LAN chat (`chat --multicast`): the same terminal layers as the relay's client
 * (alternate screen, key decoding and bindings, input line with history and completion, buffers, renderer)
 * around a LanChat, with one buffer for the group. Events go through lan-router.ts; the status bar says
 * how many peers are heard, since there is no relay to be connected to.
 */
import type { LanEvent } from '../../lan/events.ts';
import type { LanChat, LanChatEvents } from '../../lan-host/lan-chat.ts';
import { sanitizeText } from '../../protocol/sanitize.ts';
import { AlternateScreen, type TerminalInput, type TerminalOutput } from '../../terminal/alternate-screen.ts';
import { onTerminationSignals } from '../chat-exit.ts';
import { LAN_COMMANDS, LAN_HELP, parseLanInput } from '../lan-lines.ts';
import { BufferList, ChatBuffer } from './buffers.ts';
import { Completer } from './completion.ts';
import { InputLine } from './input-line.ts';
import { type Action, actionFor } from './key-bindings.ts';
import { type Key, KeyDecoder } from './keys.ts';
import { LanEventRouter } from './lan-router.ts';
import { LineView } from './line-view.ts';
import { ChatModel } from './model.ts';
import { Renderer } from './render.ts';
import { encodeRow } from './row-encoding.ts';
import type { StateText } from './status-bar.ts';
import type { Theme } from './theme.ts';

export interface LanScreenOptions {
  readonly input: NodeJS.ReadableStream & TerminalInput;
  readonly output: TerminalOutput & NodeJS.EventEmitter;
  readonly theme: Theme;
  readonly timestampFormat: string;
  /** Monotonic ms, the clock the chat runs on (for /who). */
  readonly clock: () => number;
}

const ESCAPE_WAIT_MS = 40;

const EVENT_TYPES: readonly (keyof LanChatEvents)[] = [
  'line',
  'action',
  'joined',
  'left',
  'timed-out',
  'renamed',
  'collision',
  'gap',
  'key-mismatch',
  'refused',
];

export function runLanScreenUi(chat: LanChat, options: LanScreenOptions): Promise<number> {
  return new LanScreenUi(chat, options).run();
}

class LanScreenUi {
  private readonly terminal: AlternateScreen;
  private readonly decoder = new KeyDecoder();
  private readonly input = new InputLine();
  private readonly completer = new Completer();
  private readonly model: ChatModel;
  private readonly renderer: Renderer;
  private readonly router: LanEventRouter;
  private renderQueued = false;
  private ending = false;
  private settle: (code: number) => void = () => {};
  private escapeTimer: NodeJS.Timeout | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  private removeSignals: () => void = () => {};
  private readonly onData = (chunk: string | Buffer): void => this.keys(this.decoder.feed(String(chunk)));
  private readonly onResize = (): void => this.redraw();
  private readonly hangUp = (): void => this.end();

  constructor(
    private readonly chat: LanChat,
    private readonly options: LanScreenOptions,
  ) {
    this.terminal = new AlternateScreen(options.output, options.input, { bracketedPaste: true });
    const view = new LineView({ theme: options.theme, timestampFormat: options.timestampFormat });
    const buffer = new ChatBuffer('room', chat.groupLabel);
    buffer.topic = 'LAN chat, no relay';
    this.model = new ChatModel(
      new BufferList(buffer),
      view,
      () => this.terminal.size.columns,
      () => new Date(),
    );
    this.renderer = new Renderer(view, options.theme);
    this.router = new LanEventRouter(this.model, buffer, () => chat.shownAs);
  }

  run(): Promise<number> {
    const code = new Promise<number>((resolve) => {
      this.settle = resolve;
    });
    this.terminal.enter();
    for (const name of EVENT_TYPES)
      this.chat.on(name, (event: LanEvent) => {
        this.router.handle(event);
        this.schedule();
      });
    const { input, output } = this.options;
    input.setEncoding('utf8');
    input.on('data', this.onData);
    input.on('end', () => this.end());
    input.resume();
    output.on('resize', this.onResize);
    this.removeSignals = onTerminationSignals(() => this.end());
    process.on('SIGHUP', this.hangUp);
    this.statusTimer = setInterval(() => this.schedule(), 1_000);
    this.model.note(
      `chatting on ${this.chat.groupLabel} as ${this.chat.nick}, no relay; /help for help, /quit to leave`,
    );
    this.draw();
    return code;
  }

  private keys(keys: readonly Key[]): void {
    clearTimeout(this.escapeTimer);
    if (this.decoder.waiting)
      this.escapeTimer = setTimeout(() => this.keys(this.decoder.flush()), ESCAPE_WAIT_MS);
    for (const pressed of keys) this.key(pressed);
    this.schedule();
  }

  private key(pressed: Key): void {
    if (this.ending) return;
    if (pressed.kind === 'text' || pressed.kind === 'paste') {
      this.completer.reset();
      this.input.insert(sanitizeText(pressed.text.replace(/\r\n|[\r\n\t]/g, ' ')));
      return;
    }
    const action = actionFor(pressed);
    if (action !== null) this.act(action);
  }

  private act(action: Action): void {
    if (action.kind !== 'complete' && action.kind !== 'complete-back') this.completer.reset();
    switch (action.kind) {
      case 'edit':
        this.input[action.edit]();
        return;
      case 'submit':
        this.submit();
        return;
      case 'complete':
      case 'complete-back': {
        const own = this.chat.shownAs.toLowerCase();
        const nicks = this.router.buffer.nicks.ordered().filter((nick) => nick.toLowerCase() !== own);
        const sources = { commands: LAN_COMMANDS, rooms: [], nicks };
        this.completer.complete(this.input, sources, action.kind === 'complete' ? 1 : -1);
        return;
      }
      case 'page-up':
      case 'page-down':
        this.model.scroll((action.kind === 'page-up' ? 1 : -1) * Math.max(1, this.terminal.size.rows - 4));
        return;
      case 'redraw':
        this.redraw();
        return;
      case 'quit':
        this.end();
        return;
      default:
        // One buffer: the buffer keys have nothing to switch to.
        return;
    }
  }

  /** Enter: a refused line stays in the input to be fixed, never lost. */
  private submit(): void {
    const line = this.input.text;
    if (line.trim() === '') return;
    if (this.runLine(line)) {
      this.input.commit();
      this.model.focused.scroll = 0;
    }
  }

  private runLine(line: string): boolean {
    const buffer = this.router.buffer;
    const command = parseLanInput(line);
    switch (command.kind) {
      case 'say':
      case 'me': {
        const refused = command.kind === 'say' ? this.chat.say(command.text) : this.chat.act(command.text);
        if (refused !== null) return false;
        const kind = command.kind === 'say' ? 'chat' : 'action';
        const text = sanitizeText(command.text);
        this.model.add(buffer, { kind, nick: this.chat.shownAs, text, own: true, mention: false });
        return true;
      }
      case 'who':
        this.router.who(this.chat.groupLabel, this.chat.who(), this.options.clock());
        return true;
      case 'help':
        for (const help of LAN_HELP) this.model.note(help, 'info', buffer);
        return true;
      case 'quit':
        this.end();
        return true;
      case 'unknown':
        this.model.note(`unknown command /${command.name} on the LAN (/help lists them)`, 'error', buffer);
        return false;
    }
  }

  private state(): StateText {
    const others = this.chat.who().length - 1;
    if (others === 0) return { text: 'no one heard yet', level: 'warn' };
    return { text: others === 1 ? '1 peer heard' : `${others} peers heard`, level: 'ok' };
  }

  private redraw(): void {
    this.terminal.invalidate();
    this.schedule();
  }

  private schedule(): void {
    if (this.renderQueued || this.ending) return;
    this.renderQueued = true;
    setImmediate(() => {
      this.renderQueued = false;
      if (!this.ending) this.draw();
    });
  }

  private draw(): void {
    const status = {
      nick: this.chat.shownAs,
      relay: `lan ${this.chat.groupLabel}`,
      connection: this.state(),
      protocol: 'probing' as const,
      now: new Date(),
    };
    const frame = this.renderer.render(
      { buffers: this.model.buffers, input: this.input, status },
      this.terminal.size,
    );
    this.model.focused.scroll = frame.scroll;
    this.terminal.draw(frame.rows.map(encodeRow), frame.cursor);
  }

  private end(): void {
    if (this.ending) return;
    this.ending = true;
    clearInterval(this.statusTimer);
    clearTimeout(this.escapeTimer);
    this.removeSignals();
    process.off('SIGHUP', this.hangUp);
    this.options.input.off('data', this.onData);
    this.options.output.off('resize', this.onResize);
    this.terminal.leave();
    this.options.input.pause();
    void this.finish();
  }

  private async finish(): Promise<void> {
    try {
      await this.chat.leave();
    } finally {
      await this.chat.close();
      this.settle(0);
    }
  }
}
