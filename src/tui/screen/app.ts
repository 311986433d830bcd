/**
 * The full-screen UI, wired: ChatClient events go through the router into the buffers, keys from raw stdin
 * through the bindings into the input line or the buffers, and every change schedules one frame (drawn on the
 * next turn of the event loop, so a burst of datagrams or a paste costs one redraw). No protocol logic lives
 * here: it consumes the ChatClient API.
 */
import type { ChatClient, ChatClientEvents } from '../../client-host/chat-client.ts';
import { LOBBY } from '../../protocol/messages.ts';
import { sanitizeText } from '../../protocol/sanitize.ts';
import { AlternateScreen, type TerminalInput, type TerminalOutput } from '../../terminal/alternate-screen.ts';
import { ChatExit, onTerminationSignals } from '../chat-exit.ts';
import { BufferList, ChatBuffer } from './buffers.ts';
import { Completer, type CompletionSources } from './completion.ts';
import { ConnectionNotes } from './connection-notes.ts';
import { DeliveryMarks } from './delivery.ts';
import { COMMAND_NAMES, InputCommands } from './input-commands.ts';
import { InputLine } from './input-line.ts';
import { type Action, actionFor } from './key-bindings.ts';
import { type Key, KeyDecoder } from './keys.ts';
import { LineView } from './line-view.ts';
import { ChatModel } from './model.ts';
import { messageColumns, nickPaneShown } from './nick-pane.ts';
import { PasteGate } from './paste-gate.ts';
import { Renderer } from './render.ts';
import { RoomSync } from './room-sync.ts';
import { EventRouter } from './router.ts';
import { encodeRow } from './row-encoding.ts';
import type { Theme } from './theme.ts';

export interface FullScreenOptions {
  readonly input: NodeJS.ReadableStream & TerminalInput;
  readonly output: TerminalOutput & NodeJS.EventEmitter;
  /** Where a refusal is explained once the screen is given back. */
  readonly errors: NodeJS.WritableStream;
  /** `host:port` of the relay, for the status bar and notes. */
  readonly relayLabel: string;
  readonly theme: Theme;
  readonly timestampFormat: string;
  readonly clock?: () => Date;
}

/** How long a lone ESC waits for the rest of a sequence before it counts as the Escape key. */
const ESCAPE_WAIT_MS = 40;

export function runFullScreenUi(client: ChatClient, options: FullScreenOptions): Promise<number> {
  return new FullScreenUi(client, options).run();
}

class FullScreenUi {
  private readonly terminal: AlternateScreen;
  private readonly decoder = new KeyDecoder();
  private readonly input = new InputLine();
  private readonly completer = new Completer();
  private readonly model: ChatModel;
  private readonly renderer: Renderer;
  private readonly rooms: RoomSync;
  private readonly router: EventRouter;
  private readonly commands: InputCommands;
  private readonly notes: ConnectionNotes;
  private readonly deliveries: DeliveryMarks;
  private readonly exit: ChatExit;
  private readonly clock: () => Date;
  private renderQueued = false;
  private readonly pastes: PasteGate;
  private nickPane = false;
  private escapeTimer: NodeJS.Timeout | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  private removeSignals: () => void = () => {};
  private readonly onData = (chunk: string | Buffer): void => this.keys(this.decoder.feed(String(chunk)));
  private readonly onResize = (): void => this.redraw();

  constructor(
    private readonly client: ChatClient,
    private readonly options: FullScreenOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.terminal = new AlternateScreen(options.output, options.input, { bracketedPaste: true });
    const view = new LineView({ theme: options.theme, timestampFormat: options.timestampFormat });
    const buffers = new BufferList(new ChatBuffer('room', LOBBY));
    this.model = new ChatModel(buffers, view, () => this.messageColumns(), this.clock);
    this.renderer = new Renderer(view, options.theme);
    this.rooms = new RoomSync(client, this.model);
    this.router = new EventRouter(this.model, this.rooms, () => client.nick);
    this.deliveries = new DeliveryMarks(this.model);
    this.commands = new InputCommands(client, this.model, this.rooms, {
      quit: (message) => this.exit.end(0, message),
      lag: () => this.notes.lag(),
      toggleNicks: () => this.toggleNicks(),
      sent: (id, line) => this.deliveries.sent(id, line),
    });
    this.notes = new ConnectionNotes(client, this.model, options.relayLabel, () => this.schedule());
    this.pastes = new PasteGate(this.input, {
      say: (line) => this.commands.pasted(line),
      note: (text, tone) => this.model.note(text, tone),
    });
    this.exit = new ChatExit(client, () => this.cleanup());
  }

  run(): Promise<number> {
    this.terminal.enter();
    this.listenToClient();
    this.notes.listen();
    // After the notes: "reconnected" reads before the lines that were lost on the way.
    this.listenForDeliveries();
    const { input, output } = this.options;
    input.setEncoding('utf8');
    input.on('data', this.onData);
    input.on('end', () => this.exit.end(0));
    input.resume();
    output.on('resize', this.onResize);
    this.removeSignals = onTerminationSignals(() => this.exit.end(0));
    process.on('SIGHUP', this.hangUp);
    this.statusTimer = setInterval(() => this.schedule(), 1_000);
    this.model.note(
      `joining ${this.options.relayLabel} as ${this.client.nick}; /help for help, /quit to leave`,
    );
    this.draw();
    return this.exit.code;
  }

  private readonly hangUp = (): void => this.exit.end(0);

  private listenToClient(): void {
    const { client, router } = this;
    this.routed('welcome', (e) => {
      router.welcome(e.line);
      // A first round-trip sample now, rather than at the first keep-alive ping 10 s from now.
      client.ping();
    });
    this.routed('chat', (e) => router.chat(e));
    this.routed('action', (e) => router.chat(e));
    this.routed('private', (e) => router.private(e));
    this.routed('notice', (e) => router.notice(e));
    this.routed('line', (e) => router.raw(e.line));
    this.routed('rooms', (e) => this.rooms.roomsChanged(e));
    // The status bar shows these (connection-notes.ts writes their lines).
    for (const name of [
      'silent',
      'answering',
      'reconnecting',
      'rtt',
      'protocol',
      'stalled',
      'unstalled',
    ] as const)
      this.routed(name, () => {});
    client.on('refused', (e) => this.fail(e.line));
    client.on('error', (e) => this.fail(e.message));
  }

  private listenForDeliveries(): void {
    const { deliveries } = this;
    this.routed('acked', (e) => deliveries.acked(e.id));
    this.routed('failed', (e) => deliveries.failed(e.id));
    this.routed('gap', (e) => deliveries.gap(e.count));
    // Not at `reconnecting`: a relay that was only silent may still acknowledge what it missed. Once it
    // welcomes us again, anything still pending rode a session it no longer has.
    this.routed('rejoining', () => deliveries.lost());
    this.routed('reconnected', () => deliveries.lost());
  }

  /** Handles a client event, then schedules a frame to show what it changed. */
  private routed<K extends keyof ChatClientEvents>(
    name: K,
    handle: (event: ChatClientEvents[K]) => void,
  ): void {
    this.client.on(name, (event) => {
      handle(event);
      this.schedule();
    });
  }

  /** The session cannot go on (the nick was refused): the screen is given back, then the reason printed. */
  private fail(reason: string): void {
    this.exit.end(1);
    this.options.errors.write(`udpchat: ${reason}\n`);
  }

  private keys(keys: readonly Key[]): void {
    clearTimeout(this.escapeTimer);
    if (this.decoder.waiting)
      this.escapeTimer = setTimeout(() => this.keys(this.decoder.flush()), ESCAPE_WAIT_MS);
    for (const pressed of keys) this.key(pressed);
    this.schedule();
  }

  private key(pressed: Key): void {
    if (this.exit.ending) return;
    if (this.pastes.waiting) {
      this.pastes.answer(pressed);
      return;
    }
    if (pressed.kind === 'paste') {
      this.completer.reset();
      this.model.focused.scroll = 0;
      this.pastes.paste(pressed.text);
      return;
    }
    if (pressed.kind === 'text') {
      this.completer.reset();
      // Nothing typed may act on the terminal.
      this.input.insert(sanitizeText(pressed.text.replace(/\r\n|[\r\n\t]/g, ' ')));
      return;
    }
    if (pressed.ctrl && pressed.name === 'z') {
      this.suspend();
      return;
    }
    const action = actionFor(pressed);
    if (action !== null) this.act(action);
  }

  private act(action: Action): void {
    if (action.kind !== 'complete' && action.kind !== 'complete-back') this.completer.reset();
    const buffers = this.model.buffers;
    switch (action.kind) {
      case 'edit':
        this.input[action.edit]();
        return;
      case 'submit':
        this.submit();
        return;
      case 'complete':
      case 'complete-back':
        this.completer.complete(this.input, this.completionSources(), action.kind === 'complete' ? 1 : -1);
        return;
      case 'page-up':
      case 'page-down':
        this.model.scroll((action.kind === 'page-up' ? 1 : -1) * this.pageRows());
        return;
      case 'focus':
        buffers.focusNumber(action.number);
        return;
      case 'next-buffer':
      case 'previous-buffer':
        buffers.cycle(action.kind === 'next-buffer' ? 1 : -1);
        return;
      case 'most-active': {
        const target = buffers.mostActive();
        if (target !== undefined) buffers.focus(target);
        return;
      }
      case 'redraw':
        this.redraw();
        return;
      case 'toggle-nicks':
        this.toggleNicks();
        return;
      case 'quit':
        this.exit.end(0);
        return;
    }
  }

  private submit(): void {
    const line = this.input.text;
    if (!this.commands.run(line)) return;
    this.input.commit();
    this.model.focused.scroll = 0;
  }

  private completionSources(): CompletionSources {
    const buffers = this.model.buffers.all();
    const focused = this.model.focused;
    const own = this.client.nick.toLowerCase();
    const here = focused.kind === 'dm' ? [focused.name] : focused.nicks.ordered();
    const elsewhere = buffers
      .filter((b) => b !== focused)
      .flatMap((b) => (b.kind === 'dm' ? [b.name] : b.nicks.ordered()));
    const nicks = [...new Set([...here, ...(this.input.text.startsWith('/') ? elsewhere : [])])];
    const rooms = [
      ...new Set([
        ...this.client.rooms.rooms,
        ...buffers.filter((b) => b.kind === 'room').map((b) => b.name),
        ...this.router.seenRooms,
      ]),
    ];
    return { commands: COMMAND_NAMES, rooms, nicks: nicks.filter((nick) => nick.toLowerCase() !== own) };
  }

  /** PgUp/PgDn move by a screen less one row, so one row of context stays in view. */
  private pageRows(): number {
    return Math.max(1, this.terminal.size.rows - 4);
  }

  /**
   * Ctrl-Z: the shell gets the terminal back until `fg`. A signal sent to ourselves is delivered before
   * kill() returns, so when it returns we were either stopped and continued, or (no job control: an
   * orphaned process group discards SIGTSTP) never stopped; either way the screen is ours again.
   */
  private suspend(): void {
    this.terminal.leave();
    process.kill(process.pid, 'SIGTSTP');
    this.terminal.enter();
    this.redraw();
  }

  private redraw(): void {
    this.terminal.invalidate();
    this.schedule();
  }

  private schedule(): void {
    if (this.renderQueued || this.exit.ending) return;
    this.renderQueued = true;
    setImmediate(() => {
      this.renderQueued = false;
      if (!this.exit.ending) this.draw();
    });
  }

  private draw(): void {
    const status = {
      nick: this.client.nick,
      relay: this.options.relayLabel,
      connection: this.client.connection(),
      protocol: this.client.protocol,
      now: this.clock(),
    };
    const question = this.pastes.question;
    const frame = this.renderer.render(
      { buffers: this.model.buffers, input: this.input, status, nickPane: this.nickPane, question },
      this.terminal.size,
    );
    this.model.focused.scroll = frame.scroll;
    this.terminal.draw(frame.rows.map(encodeRow), frame.cursor);
  }

  private toggleNicks(): void {
    this.nickPane = !this.nickPane;
    this.redraw();
  }

  /** The message area's width: the screen's, less the nick-list pane when it is drawn. */
  private messageColumns(): number {
    const columns = this.terminal.size.columns;
    return messageColumns(columns, nickPaneShown(this.nickPane, this.model.focused, columns));
  }

  private cleanup(): void {
    clearInterval(this.statusTimer);
    clearTimeout(this.escapeTimer);
    this.notes.stop();
    this.removeSignals();
    process.off('SIGHUP', this.hangUp);
    this.options.input.off('data', this.onData);
    this.options.output.off('resize', this.onResize);
    this.terminal.leave();
    this.options.input.pause();
  }
}
