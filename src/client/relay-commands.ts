/**
 * The relay's commands (docs/PROTOCOL.md) as typed methods. Each builds its line with commands.ts and says
 * it; each returns why it was not sent, if it was not. ChatClient supplies say().
 */
import { type CommandLine, commandLine } from './commands.ts';
import type { SayError } from './events.ts';
import { TypedEmitter } from './typed-emitter.ts';

/**
 * `id` is set when the relay will acknowledge the line (protocol v2): an `acked` or `failed` event with the
 * same id follows, also for a line held during a move to another relay or said again there (client/failover.ts).
 * Over v1 nothing confirms a line, so there is no id.
 */
export type ChatSayResult =
  | { readonly ok: true; readonly id?: number }
  | { readonly ok: false; readonly error: SayError };

export abstract class RelayCommands<Events extends object> extends TypedEmitter<Events> {
  /** Sends one line; the binding decides how. */
  abstract say(text: string): ChatSayResult;

  /** Sends any line as typed, commands included (what the terminal client does with user input). */
  send(line: string): ChatSayResult {
    return this.say(line);
  }

  joinRoom(room: string): ChatSayResult {
    return this.sendCommand(commandLine('join', [[room, 'room']]));
  }

  part(room: string, reason = ''): ChatSayResult {
    return this.sendCommand(commandLine('part', [[room, 'room']], reason));
  }

  switchRoom(room: string): ChatSayResult {
    return this.sendCommand(commandLine('switch', [[room, 'room']]));
  }

  listRooms(): ChatSayResult {
    return this.sendCommand(commandLine('rooms', []));
  }

  /** Shows the topic, or sets it when `text` is given (`-` clears it). */
  topic(room: string, text = ''): ChatSayResult {
    return this.sendCommand(commandLine('topic', [[room, 'room']], text));
  }

  msg(nick: string, text: string): ChatSayResult {
    return this.sendCommand(commandLine('msg', [[nick, 'nick']], text));
  }

  me(action: string): ChatSayResult {
    return this.sendCommand(commandLine('me', [], action));
  }

  changeNick(nick: string): ChatSayResult {
    return this.sendCommand(commandLine('nick', [[nick, 'nick']]));
  }

  who(room?: string): ChatSayResult {
    return this.sendCommand(commandLine('who', room === undefined ? [] : [[room, 'room']]));
  }

  /** Marks us away with `message`; without one, back. */
  away(message = ''): ChatSayResult {
    return this.sendCommand(commandLine('away', [], message));
  }

  op(room: string, nick: string): ChatSayResult {
    return this.sendCommand(
      commandLine('op', [
        [room, 'room'],
        [nick, 'nick'],
      ]),
    );
  }

  kick(room: string, nick: string, reason = ''): ChatSayResult {
    return this.sendCommand(
      commandLine(
        'kick',
        [
          [room, 'room'],
          [nick, 'nick'],
        ],
        reason,
      ),
    );
  }

  ban(room: string, nick: string): ChatSayResult {
    return this.sendCommand(
      commandLine('ban', [
        [room, 'room'],
        [nick, 'nick'],
      ]),
    );
  }

  unban(room: string, nick: string): ChatSayResult {
    return this.sendCommand(
      commandLine('unban', [
        [room, 'room'],
        [nick, 'nick'],
      ]),
    );
  }

  /** `+i` / `-i`, or no flag to show the room's modes. */
  mode(room: string, flag: '+i' | '-i' | '' = ''): ChatSayResult {
    return this.sendCommand(commandLine('mode', [[room, 'room']], flag));
  }

  invite(nick: string, room: string): ChatSayResult {
    return this.sendCommand(
      commandLine('invite', [
        [nick, 'nick'],
        [room, 'room'],
      ]),
    );
  }

  kill(nick: string, reason = ''): ChatSayResult {
    return this.sendCommand(commandLine('kill', [[nick, 'nick']], reason));
  }

  help(): ChatSayResult {
    return this.sendCommand(commandLine('help', []));
  }

  private sendCommand(command: CommandLine): ChatSayResult {
    return command.ok ? this.say(command.line) : command;
  }
}
