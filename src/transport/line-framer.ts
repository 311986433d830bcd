/**
 * Newline framing for a byte stream (TCP): the reads TCP hands us split lines anywhere, and one read may
 * hold several lines, a part of one, or both. The framer joins the parts of each line and hands on whole
 * lines, without their `\n` (the codec strips a `\r`). It holds at most `maxLineBytes` of an unfinished
 * line: a longer one is reported once as overlong and the rest of it is thrown away as it arrives, up to
 * its newline, so a peer that never sends one cannot grow our memory. Pure: no socket, no clock.
 */

export interface FramerOutput {
  /** One whole line, without its `\n`; the bytes are the framer's to hand out, not kept after the call. */
  line(bytes: Uint8Array): void;
  /** A line passed `maxLineBytes` without a newline; called once per such line, when it passes. */
  overlong(bytes: number): void;
}

const NEWLINE = 0x0a;

export class LineFramer {
  /** The unfinished line's pieces so far, and their length. */
  private pieces: Uint8Array[] = [];
  private held = 0;
  /** Inside an overlong line: bytes are dropped up to the next newline. */
  private discarding = false;

  constructor(private readonly maxLineBytes: number) {}

  /** Bytes of an unfinished line held now (never more than `maxLineBytes`). */
  get holding(): number {
    return this.held;
  }

  /** True while an unfinished line, or the tail of an overlong one, is waiting for its newline. */
  get midLine(): boolean {
    return this.held > 0 || this.discarding;
  }

  feed(chunk: Uint8Array, out: FramerOutput): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline < 0 ? chunk.length : newline;
      this.take(chunk.subarray(start, end), out);
      if (newline < 0) return;
      this.endLine(out);
      start = newline + 1;
    }
  }

  /** Part of a line (no newline in it). */
  private take(part: Uint8Array, out: FramerOutput): void {
    if (this.discarding || part.length === 0) return;
    if (this.held + part.length > this.maxLineBytes) {
      out.overlong(this.held + part.length);
      this.pieces = [];
      this.held = 0;
      this.discarding = true;
      return;
    }
    this.pieces.push(part);
    this.held += part.length;
  }

  private endLine(out: FramerOutput): void {
    if (this.discarding) {
      this.discarding = false;
      return;
    }
    const line = this.pieces.length === 1 ? (this.pieces[0] as Uint8Array) : this.joined();
    this.pieces = [];
    this.held = 0;
    out.line(line);
  }

  private joined(): Uint8Array {
    const line = new Uint8Array(this.held);
    let at = 0;
    for (const piece of this.pieces) {
      line.set(piece, at);
      at += piece.length;
    }
    return line;
  }
}
