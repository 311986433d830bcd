/**
 * `chat --room-key '#room=PASSPHRASE'` (repeatable) and `chat --room-key-file FILE`: end-to-end room keys
 * given before connecting (docs/PROTOCOL-v2.md 13.1). Every key is derived before the first datagram
 * leaves, so no line said in a keyed room can go out in clear while scrypt runs.
 *
 * A passphrase on the command line is readable by every local user in the process list
 * (/proc/PID/cmdline) for as long as the client runs; the file is not, if only its owner may read it, so
 * the client refuses a key file that its group or others can read (as ssh does a private key). A refused
 * value never echoes: the text after `=` is a secret.
 */
import { readFile, stat } from 'node:fs/promises';
import { checkRoomName } from '../protocol/nick.ts';
import { deriveRoomKey, type RoomKey } from '../protocol/room-key.ts';
import { repeatableFlag, valueFlag } from './flag-table.ts';
import { UsageError } from './usage-error.ts';
import { text, type ValueType } from './values.ts';

/** A room and the passphrase its members share; the passphrase lives only until the key is derived. */
export interface RoomPassphrase {
  readonly room: string;
  readonly passphrase: string;
}

/** A room key the client holds from the start. */
export interface GivenRoomKey {
  readonly room: string;
  readonly key: RoomKey;
}

/**
 * `#room=PASSPHRASE`: the room ends at the first `=` (a room name with `=` in it takes `/key` instead);
 * the passphrase is the rest, without blanks at its ends, as `/key` takes it.
 */
export function parseRoomPassphrase(value: string): RoomPassphrase | { readonly problem: string } {
  const equals = value.indexOf('=');
  if (equals < 0) return { problem: 'must be #room=PASSPHRASE' };
  const room = value.slice(0, equals);
  const check = checkRoomName(room);
  if (!check.ok) return { problem: `has a room name that ${check.reason}` };
  const passphrase = value.slice(equals + 1).trim();
  if (passphrase === '') return { problem: `has an empty passphrase for ${room}` };
  return { room, passphrase };
}

const roomPassphrase: ValueType<RoomPassphrase> = {
  placeholder: '#ROOM=PASSPHRASE',
  format: (value) => `${value.room}=...`,
  parse(value, name) {
    const parsed = parseRoomPassphrase(value);
    // The value is not quoted back: it holds the passphrase, and the terminal's scrollback would keep it.
    if ('problem' in parsed) throw new UsageError('bad-value', `${name} ${parsed.problem} (value not shown)`);
    return parsed;
  },
};

export const ROOM_KEY_FLAGS = {
  'room-key': repeatableFlag(
    roomPassphrase,
    'encrypt #ROOM end to end with a passphrase its members share (visible in the process list: ' +
      'prefer --room-key-file)',
  ),
  'room-key-file': valueFlag(
    text('FILE', { empty: false }),
    'read #ROOM=PASSPHRASE lines from FILE, which only its owner may read (chmod 600)',
  ),
} as const;

export interface RoomKeyFlagValues {
  readonly 'room-key': readonly RoomPassphrase[];
  readonly 'room-key-file': string | undefined;
}

/** Every passphrase the flags give, the file's after the command line's, each derived to its room key. */
export async function roomKeysFromFlags(flags: RoomKeyFlagValues): Promise<GivenRoomKey[]> {
  const file = flags['room-key-file'];
  const given = [...flags['room-key'], ...(file === undefined ? [] : await readRoomKeyFile(file))];
  return Promise.all(
    given.map(async ({ room, passphrase }) => ({ room, key: await deriveRoomKey(passphrase, room) })),
  );
}

/** The lines of a key file: `#room=PASSPHRASE` each; blank lines are skipped. */
export async function readRoomKeyFile(path: string): Promise<RoomPassphrase[]> {
  const mode = await fileMode(path);
  if ((mode & 0o077) !== 0)
    throw new UsageError(
      'bad-value',
      `--room-key-file ${path} can be read by others (mode ${(mode & 0o777).toString(8)}): chmod 600 ${path}`,
    );
  const content = await readFile(path, 'utf8');
  const keys: RoomPassphrase[] = [];
  for (const [index, line] of content.split(/\r?\n/u).entries()) {
    if (line.trim() === '') continue;
    const parsed = parseRoomPassphrase(line.trim());
    if ('problem' in parsed)
      throw new UsageError('bad-value', `--room-key-file ${path} line ${index + 1} ${parsed.problem}`);
    keys.push(parsed);
  }
  if (keys.length === 0)
    throw new UsageError('bad-value', `--room-key-file ${path} has no #room=PASSPHRASE line`);
  return keys;
}

async function fileMode(path: string): Promise<number> {
  try {
    return (await stat(path)).mode;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'an error';
    throw new UsageError('bad-value', `--room-key-file ${path} cannot be read (${code})`);
  }
}
