/**
 * `/key` in every UI (docs/PROTOCOL-v2.md 13.1), and what a member is told once about a room's encrypted
 * lines. The UIs catch a /key line before their input history or scrollback can keep it and hand it here;
 * nothing said here ever contains the passphrase.
 *
 * A line the member cannot open is shown in place, per line (room-keyring.ts words it); what is said once per
 * room is the advice: a wrong passphrase ("cannot open lines in #room: wrong passphrase?"), or no key at
 * all, with the command that gives one.
 */
import type { E2eStatus } from '../client/events.ts';
import { isKeyCommand, parseKeyCommand } from '../client/key-command.ts';
import { normaliseRoomName } from '../protocol/room-key.ts';

/** What /key needs of ChatClient. */
export interface RoomKeyClient {
  setRoomKey(room: string, passphrase: string): Promise<string>;
  forgetRoomKey(room: string): boolean;
}

export type KeyNoteTone = 'info' | 'good' | 'error';

/** Something to tell the user; `room` when it is about a room's lines (a UI with buffers puts it there). */
export interface KeyNote {
  readonly text: string;
  readonly tone: KeyNoteTone;
  readonly room?: string;
}

/** A line as the client library hands it, with what became of it if it was encrypted. */
export interface RoomLineSeen {
  readonly room: string;
  readonly e2e?: E2eStatus;
}

export const wrongPassphrase = (room: string): string => `cannot open lines in ${room}: wrong passphrase?`;
export const noKeyHint = (room: string): string =>
  `lines in ${room} are encrypted end to end: /key ${room} <passphrase> to read them`;

export class RoomKeys {
  /** The normalised rooms already told about, since the key was last set or forgotten. */
  private readonly told = new Set<string>();

  constructor(
    private readonly client: RoomKeyClient,
    private readonly note: (note: KeyNote) => void,
  ) {}

  /** True for a /key line: hand it to run(), never to the relay, the history or the scrollback. */
  takes(line: string): boolean {
    return isKeyCommand(line);
  }

  /**
   * Runs a /key line; resolves once the key is held (or forgotten, or refused), so a line filter can wait
   * before it reads the next line: a line read meanwhile would be refused while the key is derived.
   */
  async run(line: string): Promise<void> {
    const command = parseKeyCommand(line);
    switch (command.kind) {
      case 'usage':
        this.note({ text: command.message, tone: 'error' });
        return;
      case 'forget':
        this.forget(command.room);
        return;
      case 'set':
        await this.set(command.room, command.passphrase);
        return;
    }
  }

  /** Called for every room line shown: the advice about a room's encrypted lines, once per room. */
  seen(line: RoomLineSeen): void {
    const advice =
      line.e2e === 'other-passphrase' ? wrongPassphrase : line.e2e === 'no-key' ? noKeyHint : null;
    if (advice === null) return;
    const name = normaliseRoomName(line.room);
    if (this.told.has(name)) return;
    this.told.add(name);
    this.note({ text: advice(line.room), tone: 'error', room: line.room });
  }

  private forget(room: string): void {
    this.told.delete(normaliseRoomName(room));
    const text = this.client.forgetRoomKey(room)
      ? `forgot the key for ${room}: your lines there go in clear again`
      : `you hold no key for ${room}`;
    this.note({ text, tone: 'info', room });
  }

  private async set(room: string, passphrase: string): Promise<void> {
    this.note({ text: `deriving the key for ${room}...`, tone: 'info', room });
    try {
      const keyId = await this.client.setRoomKey(room, passphrase);
      this.told.delete(normaliseRoomName(room));
      const text = `your lines in ${room} are now encrypted end to end (key id ${keyId}); members need the same passphrase`;
      this.note({ text, tone: 'good', room });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.note({ text: `no key set for ${room}: ${reason}`, tone: 'error', room });
    }
  }
}
