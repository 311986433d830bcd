/**
 * The buffers: one per room and one per private conversation, numbered in the order they opened (Alt-1..9
 * reach the first nine). Each keeps its lines, its unread count, whether it mentioned us, where we left it
 * (the read marker) and how far it is scrolled. Pure state: no terminal, no client.
 */
import { type BufferLine, isMessage, type LineBody, type PresenceItem } from './lines.ts';
import { NickList } from './nick-list.ts';
import { mergePresence } from './presence.ts';
import { dayKey } from './timestamp.ts';

export type BufferKind = 'room' | 'dm';

/** Older lines are dropped past this many per buffer. */
export const MAX_BUFFER_LINES = 2000;

export class ChatBuffer {
  readonly lines: BufferLine[] = [];
  /** Messages from others since we last looked. */
  unread = 0;
  /** One of those named us, or a private message came. */
  mention = false;
  /** Something else happened (notices, presence) since we last looked. */
  activity = false;
  /** The last line we had seen when we left this buffer. */
  readMarker: number | null = null;
  /** Rows scrolled up from the bottom; 0 follows new lines. */
  scroll = 0;
  /** A room: the relay has us in it. A private buffer: always true. */
  joined = true;
  topic = '';
  readonly nicks = new NickList();

  constructor(
    readonly kind: BufferKind,
    public name: string,
  ) {}

  /** The name as a lookup key: rooms and nicks are case-insensitive on the relay. */
  get key(): string {
    return bufferKey(this.kind, this.name);
  }
}

export function bufferKey(kind: BufferKind, name: string): string {
  return `${kind}:${name.toLowerCase()}`;
}

/** What add() did, so a scrolled view can keep its place: the line added, and the one it replaced. */
export interface Added {
  readonly line: BufferLine;
  readonly replaced: BufferLine | null;
  readonly dayLine: BufferLine | null;
}

/** What replace() did, and the lines below the one it changed. */
export interface Replaced {
  readonly added: Added;
  readonly below: readonly BufferLine[];
}

export class BufferList {
  private readonly buffers: ChatBuffer[] = [];
  private current: ChatBuffer;
  private seq = 0;

  constructor(first: ChatBuffer) {
    this.buffers.push(first);
    this.current = first;
  }

  get focused(): ChatBuffer {
    return this.current;
  }

  all(): readonly ChatBuffer[] {
    return this.buffers;
  }

  /** 1 for the first buffer: the number Alt-<n> and the status bar use. */
  numberOf(buffer: ChatBuffer): number {
    return this.buffers.indexOf(buffer) + 1;
  }

  find(kind: BufferKind, name: string): ChatBuffer | undefined {
    const wanted = bufferKey(kind, name);
    return this.buffers.find((buffer) => buffer.key === wanted);
  }

  /** The buffer, opened at the end of the list if it did not exist. */
  ensure(kind: BufferKind, name: string): ChatBuffer {
    const found = this.find(kind, name);
    if (found !== undefined) return found;
    const buffer = new ChatBuffer(kind, name);
    this.buffers.push(buffer);
    return buffer;
  }

  /** Closes a buffer (never the last one); focus moves to its left neighbour. */
  close(buffer: ChatBuffer): boolean {
    const index = this.buffers.indexOf(buffer);
    if (index < 0 || this.buffers.length === 1) return false;
    this.buffers.splice(index, 1);
    if (this.current === buffer) this.arrive(this.buffers[Math.max(0, index - 1)] ?? this.current);
    return true;
  }

  /** Leaving a buffer sets its read marker; arriving clears its unread state. */
  focus(buffer: ChatBuffer): void {
    if (buffer === this.current || !this.buffers.includes(buffer)) return;
    this.current.readMarker = this.current.lines.at(-1)?.seq ?? null;
    this.arrive(buffer);
  }

  focusNumber(number: number): boolean {
    const buffer = this.buffers[number - 1];
    if (buffer === undefined) return false;
    this.focus(buffer);
    return true;
  }

  /** The next (or previous) buffer, wrapping around. */
  cycle(step: 1 | -1): void {
    const count = this.buffers.length;
    const index = this.buffers.indexOf(this.current);
    const next = this.buffers[(index + step + count) % count];
    if (next !== undefined) this.focus(next);
  }

  /** The buffer most worth a look: a mention first, then unread messages, then any activity. */
  mostActive(): ChatBuffer | undefined {
    const others = this.buffers.filter((buffer) => buffer !== this.current);
    return (
      others.find((b) => b.mention) ?? others.find((b) => b.unread > 0) ?? others.find((b) => b.activity)
    );
  }

  /** Adds a line at `at` (a day-changed line first if the date moved), counting it if nobody is looking. */
  add(buffer: ChatBuffer, body: LineBody, at: Date): Added {
    const dayLine = this.dayChange(buffer, at);
    const line: BufferLine = { seq: this.nextSeq(), at, body };
    buffer.lines.push(line);
    if (buffer.lines.length > MAX_BUFFER_LINES)
      buffer.lines.splice(0, buffer.lines.length - MAX_BUFFER_LINES);
    this.count(buffer, body);
    return { line, replaced: null, dayLine };
  }

  /** A join, part or quit: folded into the buffer's last line when that is one too. */
  addPresence(buffer: ChatBuffer, item: PresenceItem, at: Date): Added {
    const last = buffer.lines.at(-1);
    // A line already seen (the read marker sits on it) stays as it was seen; news starts a new line.
    const seen = last !== undefined && last.seq === buffer.readMarker;
    const merged = seen ? null : mergePresence(last, item, at);
    if (merged === null || last === undefined)
      return this.add(buffer, { kind: 'presence', items: [item] }, at);
    const line: BufferLine = { seq: last.seq, at: last.at, body: merged };
    buffer.lines[buffer.lines.length - 1] = line;
    this.count(buffer, merged);
    return { line, replaced: last, dayLine: null };
  }

  /**
   * Gives line `seq` a new body (a delivery mark came or went): same seq and time, but a new line object, so
   * its cached rows are made again. Returns the change and the lines below it; null if the line is gone
   * (trimmed, /clear). Nothing new to read: unread counts stay as they are.
   */
  replace(buffer: ChatBuffer, seq: number, body: LineBody): Replaced | null {
    const index = buffer.lines.findLastIndex((line) => line.seq === seq);
    const old = buffer.lines[index];
    if (old === undefined) return null;
    const line: BufferLine = { seq, at: old.at, body };
    buffer.lines[index] = line;
    return { added: { line, replaced: old, dayLine: null }, below: buffer.lines.slice(index + 1) };
  }

  /** `/clear`: the lines go, the buffer stays. */
  clear(buffer: ChatBuffer): void {
    buffer.lines.length = 0;
    buffer.readMarker = null;
    buffer.scroll = 0;
  }

  private arrive(buffer: ChatBuffer): void {
    this.current = buffer;
    buffer.unread = 0;
    buffer.mention = false;
    buffer.activity = false;
  }

  private count(buffer: ChatBuffer, body: LineBody): void {
    // Our own lines (echoed after a /msg from elsewhere) are nothing new to us.
    if (buffer === this.current || ((body.kind === 'chat' || body.kind === 'action') && body.own)) return;
    if (isMessage(body)) buffer.unread += 1;
    else buffer.activity = true;
    if ((body.kind === 'chat' || body.kind === 'action') && body.mention) buffer.mention = true;
  }

  private dayChange(buffer: ChatBuffer, at: Date): BufferLine | null {
    const last = buffer.lines.at(-1);
    if (last === undefined || dayKey(last.at) === dayKey(at)) return null;
    const line: BufferLine = { seq: this.nextSeq(), at, body: { kind: 'day', at } };
    buffer.lines.push(line);
    return line;
  }

  private nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }
}
