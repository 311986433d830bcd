/**
 * The full-screen UI, wired: ChatClient events go through the router into the buffers, keys from raw stdin
 * through the bindings into the input line or the buffers, and every change schedules one frame (drawn on the
 * next turn of the event loop, so a burst of datagrams or a paste costs one redraw). No protocol logic lives
 * here: it consumes the ChatClient API.
 */
import type { ChatClientEvents } from '../../client-host/chat-client.ts';
import type { ChatClientApi } from '../../client-host/chat-client-api.ts';
import { LOBBY } from '../../protocol/messages.ts';
import type { AlternateScreen, TerminalInput, TerminalOutput } from '../../terminal/alternate-screen.ts';
import { ChatExit, onTerminationSignals } from '../chat-exit.ts';
import { type KeyNote, RoomKeys } from '../room-keys.ts';
import { BufferList, ChatBuffer } from './buffers.ts';
import type { CompletionSources } from './completion.ts';
import { ConnectionNotes } from './connection-notes.ts';
import { DeliveryMarks } from './delivery.ts';
import { type BufferAction, type EditingHost, EditingKeys } from './editing-keys.ts';
import { COMMAND_NAMES, InputCommands } from './input-commands.ts';
import type { Key } from './keys.ts';
import { LineView } from './line-view.ts';
import { ChatModel } from './model.ts';
import { messageColumns, nickPaneShown } from './nick-pane.ts';
import { PasteGate } from './paste-gate.ts';
import { Renderer } from './render.ts';
import { RoomSync } from './room-sync.ts';
import { EventRouter } from './router.ts';
import { drawChat, ScreenLoop, type ScreenUi } from './screen-loop.ts';
import type { StateText } from './status-bar.ts';
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
  /**
   * What the status bar says instead of the relay's connection when the client has more to tell (a
   * dual-path client whose relay is lost: "relay lost — LAN only"); null or absent: the connection.
   */
  readonly stateText?: () => StateText | null;
}

export function runFullScreenUi(client: ChatClientApi, options: FullScreenOptions): Promise<number> {
  return new FullScreenUi(client, options).run();
}

class FullScreenUi implements ScreenUi, EditingHost {
  private readonly screen: ScreenLoop;
  private readonly editing: EditingKeys;
  private readonly model: ChatModel;
  private readonly renderer: Renderer;
  private readonly rooms: RoomSync;
  private readonly router: EventRouter;
  private readonly commands: InputCommands;
  private readonly notes: ConnectionNotes;
  private readonly deliveries: DeliveryMarks;
  private readonly exit: ChatExit;
  private readonly clock: () => Date;
  private readonly pastes: PasteGate;
  private readonly roomKeys: RoomKeys;
  private nickPane = false;
  private removeSignals: () => void = () => {};

  constructor(
    private readonly client: ChatClientApi,
    private readonly options: FullScreenOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.screen = new ScreenLoop(options.input, options.output, this);
    const view = new LineView({ theme: options.theme, timestampFormat: options.timestampFormat });
    const buffers = new BufferList(new ChatBuffer('room', LOBBY));
    this.model = new ChatModel(buffers, view, () => this.messageColumns(), this.clock);
    this.editing = new EditingKeys(this.screen, this.model, this);
    this.renderer = new Renderer(view, options.theme);
    this.rooms = new RoomSync(client, this.model);
    this.router = new EventRouter(this.model, this.rooms, () => client.nick);
    this.deliveries = new DeliveryMarks(this.model);
    this.commands = new InputCommands(client, this.model, this.rooms, {
      quit: (message) => this.exit.end(0, message),
      lag: () => this.notes.lag(),
      toggleNicks: () => this.toggleNicks(),
      sent: (id, line) => this.deliveries.sent(id, line),
      roomKey: (line) => {
        void this.roomKeys.run(line).then(() => this.screen.schedule());
      },
    });
    this.roomKeys = new RoomKeys(client, (note) => this.keyNote(note));
    this.notes = new ConnectionNotes(client, this.model, options.relayLabel, () => this.screen.schedule());
    this.pastes = new PasteGate(this.editing.input, {
      say: (line) => this.commands.pasted(line),
      note: (text, tone) => this.model.note(text, tone),
    });
    this.exit = new ChatExit(client, () => this.cleanup());
  }

  run(): Promise<number> {
    this.listenToClient();
    this.notes.listen();
    // After the notes: "reconnected" reads before the lines that were lost on the way.
    this.listenForDeliveries();
    this.removeSignals = onTerminationSignals(() => this.exit.end(0));
    this.model.note(
      `joining ${this.options.relayLabel} as ${this.client.nick}; /help for help, /quit to leave`,
    );
    this.screen.start();
    return this.exit.code;
  }

  /** Input ended, or the terminal hung up. */
  end(): void {
    this.exit.end(0);
  }

  private listenToClient(): void {
    const { client, router } = this;
    this.routed('welcome', (e) => {
      router.welcome(e.line);
      // A first round-trip sample now, rather than at the first keep-alive ping 10 s from now.
      client.ping();
    });
    // The line first, so the room's buffer exists for what is said once about its encrypted lines.
    this.routed('chat', (e) => {
      router.chat(e);
      this.roomKeys.seen(e);
    });
    this.routed('action', (e) => {
      router.chat(e);
      this.roomKeys.seen(e);
    });
    this.routed('history', (e) => {
      router.history(e);
      this.roomKeys.seen(e);
    });
    this.routed('history-end', (e) => router.historyEnd(e));
    this.routed('gap-filled', (e) => router.gapFilled(e));
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
    // The relay's key, shown once when it was not known before (the caller pins it: docs/PROTOCOL-v2.md 5.3).
    this.routed('relay-identity', (e) => {
      if (e.firstContact) this.model.note(`relay ${e.relay} identity ${e.fingerprint} (first contact)`);
    });
    this.routed('v2-refused', (e) => {
      const why = e.reason === 'wire2-only' ? 'it speaks wire version 2 only' : 'it is full';
      const what = e.reason === 'silent' ? 'did not answer protected v2' : `refused protected v2 (${why})`;
      this.model.note(`the relay ${what}: v1 is neither encrypted nor authenticated`, 'error');
    });
    this.routed('v2-waiting', (e) => {
      const why = e.reason === 'full' ? 'is full' : 'does not answer protected v2';
      this.model.note(
        `relay ${e.relay} ${why}; pinned, so no v1: trying again every ${e.retryMs / 1000} s`,
        'error',
      );
    });
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
      this.screen.schedule();
    });
  }

  /** What /key says, in the room it is about (the focused buffer until the room has one). */
  private keyNote(note: KeyNote): void {
    const buffer = note.room === undefined ? undefined : this.model.buffers.find('room', note.room);
    this.model.note(note.text, note.tone, buffer ?? this.model.focused);
  }

  /** The session cannot go on (the nick was refused): the screen is given back, then the reason printed. */
  private fail(reason: string): void {
    this.exit.end(1);
    this.options.errors.write(`udpchat: ${reason}\n`);
  }

  key(pressed: Key): void {
    if (this.exit.ending) return;
    if (this.pastes.waiting) {
      this.pastes.answer(pressed);
      return;
    }
    if (pressed.kind === 'paste') {
      // Several lines are sent one by one (above a few, after a question): paste-gate.ts.
      this.model.focused.scroll = 0;
      this.pastes.paste(pressed.text);
      return;
    }
    const action = this.editing.key(pressed);
    if (action !== null) this.bufferKey(action);
  }

  private bufferKey(action: BufferAction): void {
    const buffers = this.model.buffers;
    switch (action.kind) {
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
      case 'toggle-nicks':
        this.toggleNicks();
        return;
    }
  }

  /** Enter: the line runs as a command or is said; a refused line stays in the input. */
  submit(line: string): boolean {
    return this.commands.run(line);
  }

  quit(): void {
    this.exit.end(0);
  }

  completionSources(): CompletionSources {
    const buffers = this.model.buffers.all();
    const focused = this.model.focused;
    const own = this.client.nick.toLowerCase();
    const here = focused.kind === 'dm' ? [focused.name] : focused.nicks.ordered();
    const elsewhere = buffers
      .filter((b) => b !== focused)
      .flatMap((b) => (b.kind === 'dm' ? [b.name] : b.nicks.ordered()));
    const nicks = [...new Set([...here, ...(this.editing.input.text.startsWith('/') ? elsewhere : [])])];
    const rooms = [
      ...new Set([
        ...this.client.rooms.rooms,
        ...buffers.filter((b) => b.kind === 'room').map((b) => b.name),
        ...this.router.seenRooms,
      ]),
    ];
    return { commands: COMMAND_NAMES, rooms, nicks: nicks.filter((nick) => nick.toLowerCase() !== own) };
  }

  draw(terminal: AlternateScreen): void {
    const status = {
      nick: this.client.nick,
      relay: this.notes.currentRelay,
      connection: this.options.stateText?.() ?? this.client.connection(),
      protocol: this.client.protocol,
      now: this.clock(),
      sealed: this.model.focused.kind === 'room' && this.client.sealsIn(this.model.focused.name),
    };
    drawChat(terminal, this.renderer, this.model, this.editing.input, status, {
      nickPane: this.nickPane,
      question: this.pastes.question,
    });
  }

  private toggleNicks(): void {
    this.nickPane = !this.nickPane;
    this.screen.redraw();
  }

  /** The message area's width: the screen's, less the nick-list pane when it is drawn. */
  private messageColumns(): number {
    const columns = this.screen.terminal.size.columns;
    return messageColumns(columns, nickPaneShown(this.nickPane, this.model.focused, columns));
  }

  private cleanup(): void {
    this.notes.stop();
    this.removeSignals();
    this.screen.stop();
  }
}
