import type { E2eStatus } from '../client/events.ts';
import type { MovedEvent, RelaySkippedEvent } from '../client-host/chat-client-options.ts';
import { DM_PREFIX, LOBBY } from '../protocol/messages.ts';
import { OPENED_MARK } from '../protocol/room-messages.ts';
import { graphemes } from '../terminal/width.ts';

/**
 * Pure formatting for the terminal client: nick colours, timestamps, and the shape of each kind of line.
 * Colours and timestamps are only for a terminal; the pipe UI prints relay lines exactly as received.
 */

/** How incoming lines are decorated: both on when stdout is a TTY, both off otherwise. */
export interface DisplayStyle {
  readonly colour: boolean;
  readonly timestamps: boolean;
}

export const PLAIN: DisplayStyle = { colour: false, timestamps: false };

/** SGR foreground codes: red, green, yellow, blue, magenta, cyan. No black or white: one of them is the background. */
export const NICK_PALETTE: readonly number[] = [31, 32, 33, 34, 35, 36];

const SGR_YELLOW = 33;
const SGR_DIM = 2;

/** FNV-1a over the nick's UTF-16 units: stable across runs and machines, so a nick keeps its colour. */
export function nickHash(nick: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < nick.length; i++) {
    hash ^= nick.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export function nickColour(nick: string): number {
  return NICK_PALETTE[nickHash(nick) % NICK_PALETTE.length] ?? SGR_YELLOW;
}

/** Wraps text in an SGR colour and resets only what it set, so the rest of the line is untouched. */
export function paint(text: string, sgr: number): string {
  const reset = sgr === SGR_DIM ? 22 : 39;
  return `\x1b[${sgr}m${text}\x1b[${reset}m`;
}

/** Local wall-clock `HH:MM`. */
export function formatClock(at: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(at.getHours())}:${two(at.getMinutes())}`;
}

function stamped(text: string, style: DisplayStyle, at: Date): string {
  return style.timestamps ? `${formatClock(at)} ${text}` : text;
}

/** The prefix that says where a line belongs: `[#room] ` outside the lobby, nothing in it. */
export function roomTag(room: string): string {
  return room === LOBBY ? '' : `[${room}] `;
}

/**
 * `[#room] [e2e] ` for a line opened with the room's key: the mark sits before the nick, where no sender's
 * text can put it. A line that could not be opened says so in its text instead.
 */
export function roomLineTag(room: string, e2e: E2eStatus | undefined): string {
  const opened = e2e === 'opened' || e2e === 'repeated';
  return `${roomTag(room)}${opened ? `${OPENED_MARK} ` : ''}`;
}

/** Private messages are marked as the relay marks them. */
export const PRIVATE_TAG = DM_PREFIX;

/** `<nick> text`, the nick (with its brackets) in the nick's colour, after its room's tag. */
export function formatChat(nick: string, text: string, style: DisplayStyle, at: Date, tag = ''): string {
  const who = `<${nick}>`;
  return stamped(`${tag}${style.colour ? paint(who, nickColour(nick)) : who} ${text}`, style, at);
}

/** `* nick action`, the nick in its colour. */
export function formatAction(nick: string, text: string, style: DisplayStyle, at: Date, tag = ''): string {
  return stamped(`${tag}* ${style.colour ? paint(nick, nickColour(nick)) : nick} ${text}`, style, at);
}

/** A relay notice (`*** ... ***`), dimmed so conversation stands out. */
export function formatNotice(line: string, style: DisplayStyle, at: Date): string {
  return stamped(style.colour ? paint(line, SGR_DIM) : line, style, at);
}

/** Any other relay line, as received. */
export function formatLine(line: string, style: DisplayStyle, at: Date): string {
  return stamped(line, style, at);
}

/**
 * Something this client says, not the relay. The `-!-` mark and colour keep it apart from relay lines,
 * which are sanitised and therefore cannot carry colour to imitate it.
 */
export function formatLocal(message: string, style: DisplayStyle, at: Date): string {
  const text = `-!- ${message}`;
  return stamped(style.colour ? paint(text, SGR_YELLOW) : text, style, at);
}

export function silenceMessage(relay: string, seconds: number): string {
  return `the relay at ${relay} has not answered for ${seconds} s`;
}

export function answeringMessage(relay: string, silentSeconds: number): string {
  return `the relay at ${relay} is answering again (it was silent for ${silentSeconds} s)`;
}

export function rejoiningMessage(relay: string): string {
  return `the relay at ${relay} no longer knows us (restarted?); joining again`;
}

/** How much of a line a failure note quotes: enough to recognise it, short enough for one row. */
export const QUOTED_CHARS = 40;

/** A line given up unacknowledged (protocol v2), quoted by its first characters (whole graphemes). */
export function undeliveredMessage(text: string): string {
  const clusters = graphemes(text);
  const quoted = clusters.slice(0, QUOTED_CHARS).join('');
  return `line not delivered: "${quoted}${clusters.length > QUOTED_CHARS ? '…' : ''}"`;
}

/** The relay gave up on `count` of its lines to us (protocol v2). */
export function gapMessage(count: number): string {
  return count === 1 ? '1 line from the relay was lost' : `${count} lines from the relay were lost`;
}

/** "relay A lost — resumed on B as alice (2 lines said again)", or why it was a plain join. */
export function movedText(e: MovedEvent, nick: string): string {
  const resent = e.resent === 0 ? '' : ` (${e.resent} ${e.resent === 1 ? 'line' : 'lines'} said again)`;
  if (e.resumed) return `relay ${e.from} lost — resumed on ${e.to} as ${nick}${resent}`;
  const why = e.refused === null ? 'no ticket' : `resume refused: ${e.refused}`;
  return `relay ${e.from} lost — joined ${e.to} as ${nick}, a new session (${why})${resent}`;
}

/** "relay B refused (RELAY IDENTITY CHANGED ...): not one line sent to it; trying the next relay". */
export function skippedText(e: RelaySkippedEvent): string {
  return `relay ${e.relay} skipped: ${e.error.message}; not one line sent to it, trying the next relay`;
}
