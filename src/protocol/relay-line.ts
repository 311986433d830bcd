/**
 * How a client reads the lines a relay sends (docs/PROTOCOL.md): lobby lines in the seed's format,
 * `[#room] ` before lines of other rooms, `[msg] ` before private messages. Pure, so every UI (and the
 * tests) read them the same way.
 */
import { DM_PREFIX, isNotice, LOBBY, parseChat } from './messages.ts';

export type RelayLine =
  | { readonly kind: 'chat'; readonly room: string; readonly nick: string; readonly text: string }
  | { readonly kind: 'action'; readonly room: string; readonly nick: string; readonly text: string }
  | { readonly kind: 'private'; readonly nick: string; readonly text: string; readonly action: boolean }
  | { readonly kind: 'notice'; readonly room: string | null; readonly text: string }
  | { readonly kind: 'other' };

const ROOM_PREFIX = /^\[(#[^\s\]]{1,128})\] /u;

export function parseRelayLine(line: string): RelayLine {
  if (line.startsWith(DM_PREFIX)) return parsePrivate(line.slice(DM_PREFIX.length));
  const prefixed = ROOM_PREFIX.exec(line);
  const room = prefixed?.[1];
  const body = room === undefined ? line : line.slice(room.length + 3);
  return parseRoomLine(room ?? null, body);
}

function parseRoomLine(room: string | null, body: string): RelayLine {
  if (isNotice(body)) return { kind: 'notice', room, text: body.slice(4, -4) };
  const chat = parseChat(body);
  if (chat !== null) return { kind: 'chat', room: room ?? LOBBY, ...chat };
  const action = parseAction(body);
  if (action !== null) return { kind: 'action', room: room ?? LOBBY, ...action };
  return { kind: 'other' };
}

function parsePrivate(body: string): RelayLine {
  const chat = parseChat(body);
  if (chat !== null) return { kind: 'private', ...chat, action: false };
  const action = parseAction(body);
  if (action !== null) return { kind: 'private', ...action, action: true };
  return { kind: 'other' };
}

/** `* nick text`: an action (a nick has no spaces, so the first word after `* ` is the nick). */
function parseAction(body: string): { nick: string; text: string } | null {
  if (!body.startsWith('* ') || body.startsWith('** ')) return null;
  const space = body.indexOf(' ', 2);
  if (space < 3) return null;
  return { nick: body.slice(2, space), text: body.slice(space + 1) };
}
