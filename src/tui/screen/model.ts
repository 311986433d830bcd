/**
 * The UI's state as the rest of the UI changes it: the buffers, plus adding a line so that a buffer the
 * reader has scrolled up keeps showing what they were reading (its scroll grows by the rows that arrived
 * below). Lines carry the wall-clock time they arrived at.
 */
import type { Added, BufferList, ChatBuffer } from './buffers.ts';
import type { LineView } from './line-view.ts';
import type { BufferLine, LineBody, LocalTone, PresenceItem } from './lines.ts';

export class ChatModel {
  constructor(
    readonly buffers: BufferList,
    private readonly view: LineView,
    /** The message area's width now, to count the rows a line takes. */
    private readonly columns: () => number,
    private readonly clock: () => Date,
  ) {}

  get focused(): ChatBuffer {
    return this.buffers.focused;
  }

  /** Adds a line at the bottom of `buffer`; returns it (its seq finds it again, see replace). */
  add(buffer: ChatBuffer, body: LineBody): BufferLine {
    const added = this.buffers.add(buffer, body, this.clock());
    this.keepPlace(buffer, added, 0);
    return added.line;
  }

  presence(buffer: ChatBuffer, item: PresenceItem): void {
    this.keepPlace(buffer, this.buffers.addPresence(buffer, item, this.clock()), 0);
  }

  /** Changes line `seq` of `buffer` in place; false when it is no longer there. */
  replace(buffer: ChatBuffer, seq: number, body: LineBody): boolean {
    const replaced = this.buffers.replace(buffer, seq, body);
    if (replaced === null) return false;
    const width = this.columns();
    const rowsBelow = replaced.below.reduce((rows, line) => rows + this.view.rows(line, width).length, 0);
    this.keepPlace(buffer, replaced.added, rowsBelow);
    return true;
  }

  /** Something the client itself says, in the focused buffer unless told otherwise. */
  note(text: string, tone: LocalTone = 'info', buffer: ChatBuffer = this.focused): void {
    this.add(buffer, { kind: 'local', text, tone });
  }

  /** Scrolls the focused buffer by `rows` (positive: back in time); the renderer clamps it. */
  scroll(rows: number): void {
    this.focused.scroll = Math.max(0, this.focused.scroll + rows);
  }

  /**
   * A reader scrolled up (scroll counts rows from the bottom) keeps their place when a line below their view
   * is added or changes height. `rowsBelow` is how many rows lie under that line: when the reader's view is
   * that low or lower, the change is in or above it and moves nothing they are reading.
   */
  private keepPlace(buffer: ChatBuffer, added: Added, rowsBelow: number): void {
    if (buffer.scroll <= rowsBelow) return;
    const width = this.columns();
    let rows = this.view.rows(added.line, width).length;
    if (added.dayLine !== null) rows += this.view.rows(added.dayLine, width).length;
    if (added.replaced !== null) rows -= this.view.rows(added.replaced, width).length;
    buffer.scroll = Math.max(0, buffer.scroll + rows);
  }
}
