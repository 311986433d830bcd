/**
 * The full-screen UI for LAN chat (`chat --multicast`): the same terminal layers as the relay's client
 * (alternate screen, key decoding and bindings, input line with history and completion, buffers, renderer)
 * around a LanChat, with one buffer for the group. Events go through lan-router.ts; the status bar says
 * how many peers are heard, since there is no relay to be connected to.
 */
import type { LanEvent } from '../../lan/events.ts';
import type { LanChat, LanChatEvents } from '../../lan-host/lan-chat.ts';
import { sanitizeText } from '../../protocol/sanitize.ts';
import type { AlternateScreen, TerminalInput, TerminalOutput } from '../../terminal/alternate-screen.ts';
import { ChatExit, onTerminationSignals } from '../chat-exit.ts';
import {
  LAN_COMMANDS,
  LAN_HELP,
  LAN_SHOWN_EVENTS,
  parseLanInput,
  unknownLanCommandText,
} from '../lan-lines.ts';
import { BufferList, ChatBuffer } from './buffers.ts';
import type { CompletionSources } from './completion.ts';
import { type EditingHost, EditingKeys } from './editing-keys.ts';
import type { Key } from './keys.ts';
import { LanEventRouter } from './lan-router.ts';
import { LineView } from './line-view.ts';
import { ChatModel } from './model.ts';
import { Renderer } from './render.ts';
import { drawChat, ScreenLoop, type ScreenUi } from './screen-loop.ts';
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

const EVENT_TYPES: readonly (keyof LanChatEvents)[] = [...LAN_SHOWN_EVENTS, 'refused'];

export function runLanScreenUi(chat: LanChat, options: LanScreenOptions): Promise<number> {
  return new LanScreenUi(chat, options).run();
}

class LanScreenUi implements ScreenUi, EditingHost {
  private readonly screen: ScreenLoop;
  private readonly editing: EditingKeys;
  private readonly model: ChatModel;
  private readonly renderer: Renderer;
  private readonly router: LanEventRouter;
  private readonly exit: ChatExit;
  private removeSignals: () => void = () => {};
  /** Someone other than us was heard at least once (the status bar's "yet"). */
  private heardSomeone = false;

  constructor(
    private readonly chat: LanChat,
    private readonly options: LanScreenOptions,
  ) {
    this.screen = new ScreenLoop(options.input, options.output, this);
    const view = new LineView({ theme: options.theme, timestampFormat: options.timestampFormat });
    const buffer = new ChatBuffer('room', chat.groupLabel);
    buffer.topic = 'LAN chat, no relay';
    const columns = (): number => this.screen.terminal.size.columns;
    this.model = new ChatModel(new BufferList(buffer), view, columns, () => new Date());
    this.editing = new EditingKeys(this.screen, this.model, this);
    this.renderer = new Renderer(view, options.theme);
    this.router = new LanEventRouter(this.model, buffer, () => chat.shownAs);
    this.exit = new ChatExit(chat, () => this.cleanup());
  }

  run(): Promise<number> {
    for (const name of EVENT_TYPES)
      this.chat.on(name, (event: LanEvent) => {
        this.router.handle(event);
        this.screen.schedule();
      });
    this.removeSignals = onTerminationSignals(() => this.end());
    this.model.note(
      `chatting on ${this.chat.groupLabel} as ${this.chat.nick}, no relay; /help for help, /quit to leave`,
    );
    this.screen.start();
    return this.exit.code;
  }

  end(): void {
    this.exit.end(0);
  }

  /** One buffer: the buffer keys have nothing to switch to. */
  key(pressed: Key): void {
    if (!this.exit.ending) this.editing.key(pressed);
  }

  quit(): void {
    this.end();
  }

  /** Tab: LAN commands, or the nicks heard in the group (recent speakers first), never our own. */
  completionSources(): CompletionSources {
    const own = this.chat.shownAs.toLowerCase();
    const nicks = this.router.buffer.nicks.ordered().filter((nick) => nick.toLowerCase() !== own);
    return { commands: LAN_COMMANDS, rooms: [], nicks };
  }

  /** Enter: a refused line stays in the input to be fixed, never lost. */
  submit(line: string): boolean {
    return line.trim() !== '' && this.runLine(line);
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
        this.model.note(unknownLanCommandText(command.name), 'error', buffer);
        return false;
    }
  }

  /** There is no relay to be connected to: the state is how many peers are heard. */
  private state(): StateText {
    const others = this.chat.who().length - 1;
    // "yet" only until someone was heard: after the last peer left, waiting is not what is going on.
    if (others === 0)
      return { text: this.heardSomeone ? 'no one heard now' : 'no one heard yet', level: 'warn' };
    this.heardSomeone = true;
    return { text: others === 1 ? '1 peer heard' : `${others} peers heard`, level: 'ok' };
  }

  draw(terminal: AlternateScreen): void {
    const status = {
      nick: this.chat.shownAs,
      relay: `lan ${this.chat.groupLabel}`,
      connection: this.state(),
      protocol: 'probing' as const,
      now: new Date(),
    };
    drawChat(terminal, this.renderer, this.model, this.editing.input, status);
  }

  private cleanup(): void {
    this.removeSignals();
    this.screen.stop();
  }
}
