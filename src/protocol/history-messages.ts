/**
 * The wire texts of room history (docs/PROTOCOL.md, "History"; docs/PROTOCOL-v2.md, "Message ids").
 *
 * A history line is `[history #room 2026-12-03T07:01:02Z #42] <bob> hi`: the room, the line's server time
 * (UTC, to the second) and its id, then the line as it was said. No user can forge one, because every line
 * a user makes the relay send starts with `<`, `* `, `[#room] ` or `[msg] `, and a room name never starts
 * with `history`'s `h` after a bare `[`. An answer ends with `[history #room end] N lines`, plus where to
 * page on when there are more, so a client knows the history is over and live lines follow.
 *
 * A v2 client's live room lines carry their id and time in front, in the manner of IRCv3 message tags:
 * `@msgid=42;time=2026-12-03T07:01:02.123Z [#room] <bob> hi`. No v1 client is ever sent one.
 */
import { action, chat } from './messages.ts';

export const HISTORY_PREFIX = '[history ';
export const TAG_PREFIX = '@msgid=';

/** The line as it was said, without its room prefix. */
export function spokenLine(kind: 'say' | 'action', nick: string, text: string): string {
  return kind === 'action' ? action(nick, text) : chat(nick, text);
}

/** Server time to the second, as history shows it. */
export function historyTime(at: number): string {
  return `${new Date(at).toISOString().slice(0, 19)}Z`;
}

export function historyLine(room: string, at: number, id: number, spoken: string): string {
  return `${HISTORY_PREFIX}${room} ${historyTime(at)} #${id}] ${spoken}`;
}

export interface HistoryEndParts {
  /** The id a gap fill (`/history #room after <id>`) asked from, so its answer is told from others. */
  readonly after?: number;
  /** Older lines are left: page back from this id. */
  readonly olderThan?: number;
  /** A gap fill stopped at its page size: go on after this id. */
  readonly newerThan?: number;
}

/** The end of one history answer. */
export function historyEnd(room: string, count: number, more: HistoryEndParts = {}): string {
  const lines = `${count === 1 ? '1 line' : `${count} lines`}${more.after === undefined ? '' : ` after #${more.after}`}`;
  if (more.olderThan !== undefined)
    return `${HISTORY_PREFIX}${room} end] ${lines}; older: /history ${room} before ${more.olderThan}`;
  if (more.newerThan !== undefined)
    return `${HISTORY_PREFIX}${room} end] ${lines}; newer: /history ${room} after ${more.newerThan}`;
  return `${HISTORY_PREFIX}${room} end] ${lines}`;
}

/** A live line for a v2 client: its id and server time (to the millisecond) in front. */
export function taggedLine(id: number, at: number, line: string): string {
  return `${TAG_PREFIX}${id};time=${new Date(at).toISOString()} ${line}`;
}

export const HISTORY_USAGE =
  '/history [#room] [N] | /history #room before <id> [N] | /history #room after <id> [N]';
export const NO_HISTORY = '*** this relay keeps no history ***';
export const HISTORY_BUSY = '*** history is busy: try again in a moment ***';

export interface ParsedHistoryLine {
  readonly room: string;
  readonly id: number;
  /** Unix ms (to the second). */
  readonly at: number;
  readonly spoken: string;
}

const HISTORY_LINE = /^\[history (#\S+) (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) #(\d+)\] (.*)$/s;
const HISTORY_END =
  /^\[history (#\S+) end\] (\d+) lines?(?: after #(\d+))?(?:; (?:older|newer): \/history \S+ (?:before|after) (\d+))?$/;
const TAGGED_LINE = /^@msgid=(\d+);time=(\S+) (.*)$/s;

/** A history line's parts, or null for any other line (the end marker included). */
export function parseHistoryLine(line: string): ParsedHistoryLine | null {
  const match = HISTORY_LINE.exec(line);
  if (match === null) return null;
  const [, room, time, id, spoken] = match as unknown as [string, string, string, string, string];
  return { room, id: Number(id), at: Date.parse(time), spoken };
}

export interface ParsedHistoryEnd {
  readonly room: string;
  readonly count: number;
  /** The gap fill's starting id, or null for any other answer. */
  readonly after: number | null;
  /** True when more lines lie beyond the answer. */
  readonly more: boolean;
}

/** The parts of an end marker, or null. */
export function parseHistoryEnd(line: string): ParsedHistoryEnd | null {
  const match = HISTORY_END.exec(line);
  if (match === null) return null;
  const after = match[3] === undefined ? null : Number(match[3]);
  return { room: match[1] as string, count: Number(match[2]), after, more: match[4] !== undefined };
}

export interface ParsedTaggedLine {
  readonly id: number;
  readonly at: number;
  /** The line as a v1 client would get it. */
  readonly line: string;
}

export function parseTaggedLine(line: string): ParsedTaggedLine | null {
  const match = TAGGED_LINE.exec(line);
  if (match === null) return null;
  const at = Date.parse(match[2] as string);
  if (Number.isNaN(at)) return null;
  return { id: Number(match[1]), at, line: match[3] as string };
}

/** History lines, end markers and tagged lines are relay output: a relay never answers them. */
export function isHistoryOutput(line: string): boolean {
  return line.startsWith(HISTORY_PREFIX) || line.startsWith(TAG_PREFIX);
}
