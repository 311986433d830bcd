/**
 * What LAN chat says, as text: each LanPeer event in the relay's own wording (`<bob> hi`, `*** bob
 * joined ***`, docs/PROTOCOL.md), so a script reading the line filter reads LAN chat exactly as it reads a
 * relay; and what a typed line asks for. Every nick and text here has been sanitised by LanPeer already.
 */
import type { LanEvent, LanWhoEntry } from '../lan/events.ts';
import * as messages from '../protocol/messages.ts';
import { COMMAND_NAMES } from './screen/input-commands.ts';

/** The events that show as a line (lanEventLine); a refusal is the UI's own note, a duplicate nothing. */
export const LAN_SHOWN_EVENTS = [
  'line',
  'action',
  'joined',
  'left',
  'timed-out',
  'renamed',
  'collision',
  'gap',
  'key-mismatch',
] as const satisfies readonly LanEvent['type'][];

/** The line an event shows as, or null for events that show nothing (a dropped duplicate, a refusal). */
export function lanEventLine(event: LanEvent): string | null {
  switch (event.type) {
    case 'line':
      return messages.chat(event.nick, event.text);
    case 'action':
      return messages.action(event.nick, event.text);
    case 'joined':
      return messages.joined(event.nick);
    case 'left':
      return messages.left(event.nick);
    case 'timed-out':
      return messages.timedOut(event.nick);
    case 'renamed':
      return event.self ? messages.youAreNow(event.to) : messages.renamed(event.from, event.to);
    case 'collision':
      return messages.notice(collisionText(event));
    case 'gap':
      return messages.notice(gapText(event.nick, event.count));
    case 'key-mismatch':
      return messages.notice(keyMismatchText(event.senderId, event.theirs));
    default:
      return null;
  }
}

/** "2 lines from bob lost" (the wording). */
export function gapText(nick: string, count: number): string {
  return count === 1 ? `1 line from ${nick} lost` : `${count} lines from ${nick} lost`;
}

function collisionText(event: LanEvent & { readonly type: 'collision' }): string {
  if (event.self) return `${event.nick} was taken first by another peer; you are shown as ${event.shownAs}`;
  return `${event.nick} is taken; a second peer with that nick is shown as ${event.shownAs}`;
}

function keyMismatchText(senderId: string, theirs: 'other-key' | 'sealed' | 'clear'): string {
  const who = `a peer (${senderId.slice(0, 8)})`;
  if (theirs === 'other-key') return `${who} uses another group key; its lines cannot be read`;
  if (theirs === 'sealed') return `${who} uses a group key (--group-key); its lines cannot be read`;
  return `${who} chats in clear without the group key; its lines are ignored`;
}

/** /who's answer: a header, then one line per peer heard (ourselves marked), in name order. */
export function whoLines(group: string, entries: readonly LanWhoEntry[], now: number): string[] {
  const header = messages.notice(`${entries.length} in ${group}`);
  return [header, ...entries.map((entry) => messages.notice(whoEntryText(entry, now)))];
}

function whoEntryText(entry: LanWhoEntry, now: number): string {
  if (entry.self) return `${entry.shownAs} (you)`;
  const idle = Math.max(0, Math.floor((now - entry.lastHeardAt) / 1000));
  const from = entry.address === null ? '' : ` from ${entry.address.host}`;
  return `${entry.shownAs}${from}, heard ${idle} s ago`;
}

export type LanInput =
  | { readonly kind: 'say'; readonly text: string }
  | { readonly kind: 'me'; readonly text: string }
  | { readonly kind: 'who' }
  | { readonly kind: 'quit' }
  | { readonly kind: 'help' }
  | { readonly kind: 'unknown'; readonly name: string };

/** The commands a LAN chat has: there is no relay to send any other `/command` to. */
export const LAN_COMMANDS: readonly string[] = ['/me', '/who', '/quit', '/leave', '/help'];

export const LAN_HELP: readonly string[] = [
  'LAN chat (no relay: everyone in the multicast group hears you):',
  '  /me text     an action',
  '  /who         who has been heard in the group',
  '  /quit        say goodbye and exit (also /leave, Ctrl-C)',
  '  //text       a line that starts with /',
];

/**
 * The answer to a /command the LAN does not have. A relay's command (or the relay client's) is told apart:
 * a user who types /join or /msg out of habit learns why, and what would give it (a relay).
 */
export function unknownLanCommandText(name: string): string {
  if (COMMAND_NAMES.includes(`/${name}`))
    return `/${name} needs a relay: the LAN has no rooms, private lines, nick changes or moderation (/help lists what it has; --relay H:P adds a relay)`;
  return `unknown command /${name} on the LAN (/help lists the commands)`;
}

/** What a typed line asks for. `//x` sends `/x`, as irssi does. */
export function parseLanInput(line: string): LanInput {
  if (!line.startsWith('/') || line.startsWith('//'))
    return { kind: 'say', text: line.startsWith('//') ? line.slice(1) : line };
  const space = line.indexOf(' ');
  const name = (space < 0 ? line.slice(1) : line.slice(1, space)).toLowerCase();
  const rest = space < 0 ? '' : line.slice(space + 1);
  switch (name) {
    case 'me':
      return { kind: 'me', text: rest };
    case 'who':
      return { kind: 'who' };
    case 'quit':
    case 'leave':
      return { kind: 'quit' };
    case 'help':
      return { kind: 'help' };
    default:
      return { kind: 'unknown', name };
  }
}
