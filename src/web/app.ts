/**
 * The web client, wired: the terminal client's UI state and rules (tui/screen/: buffers with unread and
 * mention marks and read markers, the event router, room sync, the input commands, delivery marks,
 * completion) over a WebChatClient, drawn into the page by ChatView. The nick comes from `?nick=` or the
 * form (and is remembered in this browser). One frame per animation frame, however many lines arrived.
 */

import { LOBBY } from '../protocol/messages.ts';
import { BufferList, ChatBuffer } from '../tui/screen/buffers.ts';
import type { CompletionSources } from '../tui/screen/completion.ts';
import { DeliveryMarks } from '../tui/screen/delivery.ts';
import { COMMAND_NAMES, InputCommands } from '../tui/screen/input-commands.ts';
import { LineView } from '../tui/screen/line-view.ts';
import { ChatModel } from '../tui/screen/model.ts';
import { RoomSync } from '../tui/screen/room-sync.ts';
import { EventRouter } from '../tui/screen/router.ts';
import { DEFAULT_THEME } from '../tui/screen/theme.ts';
import { ChatView } from './chat-view.ts';
import { connectionLine } from './connection-text.ts';
import { byId } from './dom.ts';
import { InputBox } from './input-box.ts';
import type { WebClientEvents } from './web-chat-client.ts';
import { WebChatClient } from './web-chat-client.ts';

const NICK_KEY = 'udpchat.nick';
const MAX_SUGGESTIONS = 8;

class WebApp {
  private readonly model: ChatModel;
  private readonly rooms: RoomSync;
  private readonly router: EventRouter;
  private readonly deliveries: DeliveryMarks;
  private readonly commands: InputCommands;
  private readonly view: ChatView;
  private readonly input: InputBox;
  private framePending = false;

  constructor(private readonly client: WebChatClient) {
    const buffers = new BufferList(new ChatBuffer('room', LOBBY));
    // The page scrolls itself, so the model's row counting (for a scrolled terminal) never runs here.
    const rows = new LineView({ theme: DEFAULT_THEME, timestampFormat: '%H:%M' });
    this.model = new ChatModel(
      buffers,
      rows,
      () => 80,
      () => new Date(),
    );
    this.rooms = new RoomSync(client, this.model);
    this.router = new EventRouter(this.model, this.rooms, () => client.nick);
    this.deliveries = new DeliveryMarks(this.model);
    this.commands = new InputCommands(client, this.model, this.rooms, {
      quit: (message) => this.quit(message),
      lag: () => this.lag(),
      sent: (id, line) => this.deliveries.sent(id, line),
    });
    this.view = new ChatView(
      (buffer) => {
        this.model.buffers.focus(buffer);
        this.draw();
      },
      (text) => this.input.set(`${text} `),
    );
    this.input = new InputBox(byId('line', HTMLInputElement), {
      run: (line) => {
        const taken = this.commands.run(line);
        this.draw();
        return taken;
      },
      sources: () => this.completionSources(),
      changed: () => this.draw(),
    });
  }

  start(): void {
    const { client, router } = this;
    this.on('welcome', (e) => {
      router.welcome(e.line);
      client.ping();
    });
    this.on('chat', (e) => router.chat(e));
    this.on('action', (e) => router.chat(e));
    this.on('history', (e) => router.history(e));
    this.on('history-end', (e) => router.historyEnd(e));
    this.on('gap-filled', (e) => router.gapFilled(e));
    this.on('private', (e) => router.private(e));
    this.on('notice', (e) => router.notice(e));
    this.on('line', (e) => router.raw(e.line));
    this.on('rooms', (e) => this.rooms.roomsChanged(e));
    this.on('acked', (e) => this.deliveries.acked(e.id));
    this.on('failed', (e) => this.deliveries.failed(e.id));
    this.on('refused', (e) => this.model.note(`${e.line}: reload the page to choose another nick`, 'error'));
    this.on('reconnected', (e) => this.model.note(`joined again as ${e.nick}`, 'good'));
    this.on('link', (e) => {
      if (e.state === 'waiting') this.model.note('lost the connection to the relay', 'error');
    });
    for (const name of ['silent', 'answering', 'reconnecting', 'rtt', 'rejoining', 'unanswered'] as const)
      this.on(name, () => {});
    setInterval(() => this.draw(), 1_000);
    this.model.note(`joining as ${client.nick}; /help for help`);
    client.start();
    this.draw();
  }

  private on<K extends keyof WebClientEvents>(name: K, handle: (event: WebClientEvents[K]) => void): void {
    this.client.on(name, (event) => {
      handle(event);
      this.draw();
    });
  }

  private quit(message: string): void {
    this.client.leave(message);
    localStorage.removeItem(NICK_KEY);
    this.model.note('you left the relay; reload the page to join again');
  }

  private lag(): void {
    const result = this.client.ping();
    if (!result.ok) this.model.note(result.error.message, 'error');
  }

  private completionSources(): CompletionSources {
    const buffers = this.model.buffers.all();
    const focused = this.model.focused;
    const own = this.client.nick.toLowerCase();
    const here = focused.kind === 'dm' ? [focused.name] : focused.nicks.ordered();
    const elsewhere = buffers.flatMap((b) => (b.kind === 'dm' ? [b.name] : b.nicks.ordered()));
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

  /** `/` and a few letters: the commands that start so, to click or Tab through. */
  private suggestions(): string[] {
    const text = this.input.text;
    if (!/^\/\S*$/.test(text)) return [];
    const typed = text.toLowerCase();
    return COMMAND_NAMES.filter((name) => name.startsWith(typed) && name !== typed).slice(0, MAX_SUGGESTIONS);
  }

  private draw(): void {
    if (this.framePending) return;
    this.framePending = true;
    requestAnimationFrame(() => {
      this.framePending = false;
      const client = this.client;
      this.view.render({
        buffers: this.model.buffers,
        connection: connectionLine({
          link: client.linkState,
          retryInMs: client.retryInMs(),
          session: client.connection(),
          nick: client.nick,
        }),
        suggestions: this.suggestions(),
      });
    });
  }
}

function socketUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/chat`;
}

/** A fraction in [0, 1) from the browser's CSPRNG (jitter only; nothing secret rides on it). */
function random(): number {
  const word = new Uint32Array(1);
  crypto.getRandomValues(word);
  return (word[0] ?? 0) / 2 ** 32;
}

function begin(nick: string): void {
  byId('login', HTMLFormElement).hidden = true;
  byId('chat', HTMLDivElement).hidden = false;
  const client = new WebChatClient({ nick, url: socketUrl(), random });
  new WebApp(client).start();
  byId('line', HTMLInputElement).focus();
  wireToggles();
}

/** On a narrow screen the buffer list and the people slide in over the log. */
function wireToggles(): void {
  const chat = byId('chat', HTMLDivElement);
  byId('toggle-buffers', HTMLButtonElement).addEventListener('click', () =>
    chat.classList.toggle('show-buffers'),
  );
  byId('toggle-nicks', HTMLButtonElement).addEventListener('click', () =>
    chat.classList.toggle('show-nicks'),
  );
  byId('buffer-list', HTMLUListElement).addEventListener('click', () =>
    chat.classList.remove('show-buffers'),
  );
}

function main(): void {
  const given = new URLSearchParams(location.search).get('nick') ?? localStorage.getItem(NICK_KEY);
  if (given !== null && given.trim() !== '') {
    begin(given.trim());
    return;
  }
  const form = byId('login', HTMLFormElement);
  const field = byId('nick', HTMLInputElement);
  form.hidden = false;
  field.focus();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const nick = field.value.trim();
    if (nick === '') return;
    localStorage.setItem(NICK_KEY, nick);
    begin(nick);
  });
}

main();
