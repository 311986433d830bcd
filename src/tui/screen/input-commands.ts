/**
 * What Enter does with the input line. Plain text goes to the focused buffer's room or person; a few
 * commands belong to the client (/help, /quit, /clear, /lag, /switch, /query, /close); every other
 * `/command` goes to the relay as typed, after making sure the relay talks in the focused room. Returns
 * whether the line was taken: a refused line stays in the input to be fixed, never lost.
 */
import type { ClientState } from '../../client/events.ts';
import { isKeyCommand } from '../../client/key-command.ts';
import type { ChatSayResult } from '../../client/relay-commands.ts';
import type { RoomsSnapshot } from '../../client/room-tracker.ts';
import type { ChatBuffer } from './buffers.ts';
import type { SentLine } from './delivery.ts';
import { withDelivery } from './lines.ts';
import type { ChatModel } from './model.ts';
import type { RoomSync } from './room-sync.ts';

/** What the input needs from ChatClient. */
export interface InputClient {
  readonly nick: string;
  readonly state: ClientState;
  readonly rooms: RoomsSnapshot;
  say(text: string): ChatSayResult;
  msg(nick: string, text: string): ChatSayResult;
  me(action: string): ChatSayResult;
  help(): ChatSayResult;
  switchRoom(room: string): ChatSayResult;
  /** True when lines said in `room` are encrypted end to end; absent for a client without the cipher. */
  sealsIn?(room: string): boolean;
}

/** What the input asks of the rest of the UI. */
export interface InputHost {
  quit(message: string): void;
  lag(): void;
  /** Shows or hides the nick-list pane (a UI without one leaves it out). */
  toggleNicks?(): void;
  /** A typed line went out as `id`: the relay will acknowledge it (protocol v2), or the client gives up. */
  sent(id: number, line: SentLine): void;
  /**
   * A /key line (room-keys.ts): never sent, never shown, never kept in the input history. A UI without
   * end-to-end rooms (the browser's carries no cipher) leaves it out.
   */
  roomKey?(line: string): void;
}

export const CLIENT_HELP: readonly string[] = [
  'Client commands:',
  "  /help                  this list, then the relay's commands",
  '  /quit [message]        leave the relay and exit (also /leave, Ctrl-C)',
  '  /switch N|#room|nick   go to a buffer (also Alt-1..9, Ctrl-N/Ctrl-P, Alt-A for the most active)',
  '  /query nick [text]     open a private buffer with nick',
  "  /msg nick text         a private message, shown in nick's buffer",
  '  /close                 close this buffer (parts a room)',
  '  /clear                 clear this buffer',
  '  /lag                   measure the round trip to the relay now (v2: jitter, loss, re-sends)',
  '  /nicks                 show or hide the list of who is in the room (also Alt-N)',
  '  /key #room passphrase  encrypt your lines in #room end to end; /key #room alone forgets the key',
  'Keys: Tab completes nicks, /commands and #rooms; Up/Down history; PgUp/PgDn scroll;',
  '  Ctrl-A/E start/end, Ctrl-W/U/K delete word/to start/to end, Ctrl-Y paste it back, Ctrl-L redraw.',
  'A pasted snippet is sent line by line; more than 3 lines ask first (Enter sends, Esc cancels).',
  "The relay's commands:",
];

/** For completion: the client's commands and the relay's (docs/PROTOCOL.md). */
export const COMMAND_NAMES: readonly string[] = [
  ...['help', 'quit', 'switch', 'query', 'msg', 'close', 'clear', 'lag', 'nicks', 'key'],
  ...['join', 'part', 'rooms', 'topic', 'me', 'nick', 'who', 'away', 'leave'],
  ...['op', 'kick', 'ban', 'unban', 'mode', 'invite', 'kill'],
].map((name) => `/${name}`);

type Handler = (args: string) => boolean;

export class InputCommands {
  private readonly handlers: Readonly<Record<string, Handler>> = {
    help: () => this.help(),
    quit: (args) => this.quit(args),
    leave: (args) => this.quit(args),
    exit: (args) => this.quit(args),
    clear: () => this.clear(),
    lag: () => this.lag(),
    ping: () => this.lag(),
    nicks: () => this.toggleNicks(),
    switch: (args) => this.switchTo(args),
    query: (args) => this.query(args),
    msg: (args) => this.msg(args),
    me: (args) => this.me(args),
    close: () => this.close(),
    join: (args) => this.join(args),
    part: (args) => this.part(args),
  };

  constructor(
    private readonly client: InputClient,
    private readonly model: ChatModel,
    private readonly rooms: RoomSync,
    private readonly host: InputHost,
  ) {}

  /** Runs one input line; true when it was taken (the input line may be cleared). */
  run(line: string): boolean {
    if (line.trim() === '') return false;
    if (line.startsWith('//') || !line.startsWith('/')) return this.text(line);
    if (isKeyCommand(line)) return this.roomKey(line);
    const space = line.indexOf(' ');
    const name = (space < 0 ? line.slice(1) : line.slice(1, space)).toLowerCase();
    const args = space < 0 ? '' : line.slice(space + 1).trim();
    const handler = this.handlers[name];
    if (handler !== undefined) return handler(args);
    return this.relayCommand(line);
  }

  /**
   * One line of a paste: said, never run, so a pasted `/quit` or `/nick` is text like the lines around it
   * (`//text` says `/text`); only a `/key` line runs.
   */
  pasted(line: string): boolean {
    // Except /key: said as text, it would hand the passphrase to the room; it runs, and stays local.
    if (isKeyCommand(line)) return this.roomKey(line);
    return this.text(line.startsWith('/') ? `/${line}` : line);
  }

  /** Plain text (or `//text`, which says `/text`): to the focused room or person. */
  private text(line: string): boolean {
    if (!this.connected()) return false;
    const buffer = this.model.focused;
    const said = line.startsWith('//') ? line.slice(1) : line;
    if (buffer.kind === 'dm') return this.sendPrivate(buffer.name, said, 'chat');
    if (!this.inRoom(buffer)) return false;
    this.rooms.beforeSend(buffer);
    return this.echo(buffer, this.client.say(line), 'chat', said);
  }

  private relayCommand(line: string): boolean {
    if (!this.connected()) return false;
    this.rooms.beforeSend(this.model.focused);
    return this.tracked(this.client.say(line), line);
  }

  private help(): boolean {
    for (const text of CLIENT_HELP) this.model.note(text);
    return this.client.state !== 'joined' || this.tracked(this.client.help(), '/help');
  }

  /** Taken whatever the connection: a key is held locally, and a room can be keyed before it is joined. */
  private roomKey(line: string): boolean {
    if (this.host.roomKey === undefined)
      this.model.note('this client cannot encrypt rooms end to end: use udpchat chat', 'error');
    else this.host.roomKey(line);
    return true;
  }

  private quit(message: string): boolean {
    this.host.quit(message);
    return true;
  }

  private clear(): boolean {
    this.model.buffers.clear(this.model.focused);
    return true;
  }

  private toggleNicks(): boolean {
    if (this.host.toggleNicks === undefined) this.model.note('this client has no nick list pane', 'error');
    else this.host.toggleNicks();
    return true;
  }

  private lag(): boolean {
    this.host.lag();
    return true;
  }

  private switchTo(target: string): boolean {
    const buffers = this.model.buffers;
    if (/^\d+$/.test(target) && buffers.focusNumber(Number(target))) return true;
    const found = buffers.find(target.startsWith('#') ? 'room' : 'dm', target);
    if (found !== undefined) {
      buffers.focus(found);
      return true;
    }
    this.model.note(
      `no buffer ${target === '' ? 'given' : `named ${target}`} (try /switch N, #room or nick)`,
      'error',
    );
    return false;
  }

  private query(args: string): boolean {
    const [nick = '', ...rest] = args.split(/\s+/u);
    if (nick === '' || nick.startsWith('#')) {
      this.model.note('usage: /query nick [text]', 'error');
      return false;
    }
    const buffer = this.model.buffers.ensure('dm', nick);
    this.model.buffers.focus(buffer);
    const text = rest.join(' ');
    return text === '' || this.sendPrivate(nick, text, 'chat');
  }

  private msg(args: string): boolean {
    const space = args.indexOf(' ');
    // Without text, or to something that is not a nick, the relay gives the answer (usage, no such nick).
    if (space < 0 || args.startsWith('#')) return this.relayCommand(`/msg ${args}`.trimEnd());
    return this.sendPrivate(args.slice(0, space), args.slice(space + 1), 'chat');
  }

  private me(action: string): boolean {
    if (!this.connected()) return false;
    const buffer = this.model.focused;
    if (buffer.kind === 'dm') return this.sendPrivate(buffer.name, action, 'action');
    if (!this.inRoom(buffer)) return false;
    this.rooms.beforeSend(buffer);
    return this.echo(buffer, this.client.me(action), 'action', action);
  }

  private close(): boolean {
    const buffer = this.model.focused;
    if (buffer.kind === 'room' && buffer.joined) return this.relayCommand(`/part ${buffer.name}`);
    if (!this.model.buffers.close(buffer)) this.model.note('this is the only buffer', 'error');
    return true;
  }

  private join(args: string): boolean {
    if (args.startsWith('#')) this.rooms.focusWhenJoined(args.split(/\s+/u)[0] ?? args);
    return this.relayCommand(`/join ${args}`.trimEnd());
  }

  /**
   * `/part` without a room parts the focused room, whatever the relay's current room is; in a private
   * buffer it closes the buffer (as in irssi), rather than parting some room the user is not looking at.
   */
  private part(args: string): boolean {
    const buffer = this.model.focused;
    if (args.startsWith('#')) return this.relayCommand(`/part ${args}`);
    if (buffer.kind === 'dm') return this.close();
    return this.relayCommand(`/part ${buffer.name} ${args}`.trimEnd());
  }

  private sendPrivate(nick: string, text: string, kind: 'chat' | 'action'): boolean {
    if (!this.connected()) return false;
    const result = this.client.msg(nick, kind === 'action' ? `/me ${text}` : text);
    return this.echo(this.model.buffers.ensure('dm', nick), result, kind, text);
  }

  /**
   * The relay does not echo our lines: once sent, ours is shown where it went, marked pending when the relay
   * will acknowledge it.
   */
  private echo(buffer: ChatBuffer, result: ChatSayResult, kind: 'chat' | 'action', text: string): boolean {
    if (!this.checked(result)) return false;
    const id = acknowledgedAs(result);
    // Our own line in a keyed room went out sealed: marked as the others' opened lines are.
    const sealed = buffer.kind === 'room' && this.client.sealsIn?.(buffer.name) === true;
    const message = {
      kind,
      nick: this.client.nick,
      text,
      own: true,
      mention: false,
      ...(sealed ? { sealed: true as const } : {}),
    };
    const body = withDelivery(message, id === undefined ? null : 'pending');
    const line = this.model.add(buffer, body);
    if (id !== undefined) this.host.sent(id, { text, shown: { buffer, seq: line.seq, body } });
    return true;
  }

  /** A line not shown (a relay command): only its failure would be, as a note. */
  private tracked(result: ChatSayResult, text: string): boolean {
    if (!this.checked(result)) return false;
    const id = acknowledgedAs(result);
    if (id !== undefined) this.host.sent(id, { text, shown: null });
    return true;
  }

  /**
   * Only a welcomed client's lines reach anyone: while joining or reconnecting a line would be lost (or
   * answered with "please /join"), so it stays in the input until the connection is back.
   */
  private connected(): boolean {
    if (this.client.state === 'joined') return true;
    this.model.note(
      `not connected (${this.client.state}): the line stays in the input until the relay answers`,
      'error',
    );
    return false;
  }

  private inRoom(buffer: ChatBuffer): boolean {
    if (buffer.joined) return true;
    this.model.note(
      `you are not in ${buffer.name}: /join ${buffer.name} to go back, /close to close`,
      'error',
    );
    return false;
  }

  private checked(result: ChatSayResult): boolean {
    if (result.ok) return true;
    if (result.error.code !== 'empty') this.model.note(result.error.message, 'error');
    return false;
  }
}

/** The id the relay's acknowledgement will carry (protocol v2); undefined when nothing will confirm the line. */
function acknowledgedAs(result: ChatSayResult): number | undefined {
  return result.ok ? result.id : undefined;
}
