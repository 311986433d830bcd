/**
 * The UI's state as the rest of the UI changes it: the buffers, plus adding a line so that a buffer the
 * reader has scrolled up keeps showing what they were reading (its scroll grows by the rows that arrived
 * below). Lines carry the wall-clock time they arrived at.
 */
import type { Added, BufferList, ChatBuffer } from './buffers.ts';
import type { LineView } from './line-view.ts';
import type { LineBody, LocalTone, PresenceItem } from './lines.ts';

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

  add(buffer: ChatBuffer, body: LineBody): void {
    this.keepPlace(buffer, this.buffers.add(buffer, body, this.clock()));
  }

  presence(buffer: ChatBuffer, item: PresenceItem): void {
    this.keepPlace(buffer, this.buffers.addPresence(buffer, item, this.clock()));
  }

  /** Something the client itself says, in the focused buffer unless told otherwise. */
  note(text: string, tone: LocalTone = 'info', buffer: ChatBuffer = this.focused): void {
    this.add(buffer, { kind: 'local', text, tone });
  }

  /** Scrolls the focused buffer by `rows` (positive: back in time); the renderer clamps it. */
  scroll(rows: number): void {
    this.focused.scroll = Math.max(0, this.focused.scroll + rows);
  }

  private keepPlace(buffer: ChatBuffer, added: Added): void {
    if (buffer.scroll === 0) return;
    const width = this.columns();
    let rows = this.view.rows(added.line, width).length;
    if (added.dayLine !== null) rows += this.view.rows(added.dayLine, width).length;
    if (added.replaced !== null) rows -= this.view.rows(added.replaced, width).length;
    buffer.scroll = Math.max(0, buffer.scroll + rows);
  }
}
