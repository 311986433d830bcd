/**
 * `/key #room <passphrase>` and `/key #room` (docs/PROTOCOL-v2.md 13.1): the client's own command, never
 * sent. Every UI reads it here, before its input history or scrollback could keep the passphrase, and the
 * session refuses to send a line that is one, so a UI that forgot to catch it cannot leak it to the relay.
 */
export const KEY_USAGE = 'usage: /key #room <passphrase> to encrypt the room, /key #room to stop';

export type KeyCommand =
  | { readonly kind: 'set'; readonly room: string; readonly passphrase: string }
  | { readonly kind: 'forget'; readonly room: string }
  | { readonly kind: 'usage'; readonly message: string };

const KEY_LINE = /^\/key(?:\s|$)/iu;

/** True for a line that is a /key command, whatever follows it. */
export function isKeyCommand(line: string): boolean {
  return KEY_LINE.test(line);
}

/**
 * The command in a /key line. The passphrase is everything after the room and the blanks that follow it,
 * without blanks at its end (a trailing space typed by accident would make another key).
 */
export function parseKeyCommand(line: string): KeyCommand {
  const args = line.replace(/^\/key/iu, '').trimStart();
  const space = args.search(/\s/u);
  const room = space < 0 ? args : args.slice(0, space);
  if (!room.startsWith('#') || room.length < 2) return { kind: 'usage', message: KEY_USAGE };
  const passphrase = space < 0 ? '' : args.slice(space).trim();
  return passphrase === '' ? { kind: 'forget', room } : { kind: 'set', room, passphrase };
}
