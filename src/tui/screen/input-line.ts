/**
 * The input line: text being typed, edited with the readline/Emacs keys every shell user knows (Ctrl-A/E/W/U/K,
 * arrows, Home/End, Ctrl-Y yanks what was killed), and the history of sent lines (Up/Down). The text is a list
 * of grapheme clusters, so the cursor steps over "é" or a flag as one character. Pure state.
 */
import { isKeyCommand } from '../../client/key-command.ts';
import { graphemes } from '../../terminal/width.ts';

/** Lines remembered for Up/Down. */
export const HISTORY_SIZE = 500;

export class InputLine {
  private chars: string[] = [];
  private position = 0;
  private readonly history: string[] = [];
  /** Where Up/Down is in the history: history.length means "the line being typed". */
  private historyIndex = 0;
  /** The line being typed when Up was first pressed, restored by Down past the newest entry. */
  private draft: string[] = [];
  private killed = '';

  get text(): string {
    return this.chars.join('');
  }

  /** The clusters of the text (for rendering and completion). */
  get clusters(): readonly string[] {
    return this.chars;
  }

  /** The cursor, in clusters from the start. */
  get cursor(): number {
    return this.position;
  }

  /** Inserts typed or pasted text at the cursor. */
  insert(text: string): void {
    const added = graphemes(text);
    // Typing after a combining mark or joiner re-forms clusters: regroup the whole line around the cursor.
    const before = graphemes(this.chars.slice(0, this.position).join('') + added.join(''));
    const after = this.chars.slice(this.position);
    this.chars = [...before, ...after];
    this.position = before.length;
  }

  /** Replaces clusters [start, end) with `text` and puts the cursor after it (completion uses this). */
  replace(start: number, end: number, text: string): void {
    const added = graphemes(text);
    this.chars.splice(start, end - start, ...added);
    this.position = start + added.length;
  }

  deleteBackward(): void {
    if (this.position === 0) return;
    this.chars.splice(this.position - 1, 1);
    this.position -= 1;
  }

  deleteForward(): void {
    this.chars.splice(this.position, 1);
  }

  moveLeft(): void {
    this.position = Math.max(0, this.position - 1);
  }

  moveRight(): void {
    this.position = Math.min(this.chars.length, this.position + 1);
  }

  home(): void {
    this.position = 0;
  }

  end(): void {
    this.position = this.chars.length;
  }

  wordLeft(): void {
    this.position = this.wordStartBefore(this.position);
  }

  wordRight(): void {
    let index = this.position;
    while (index < this.chars.length && isSpace(this.chars[index])) index += 1;
    while (index < this.chars.length && !isSpace(this.chars[index])) index += 1;
    this.position = index;
  }

  /** Ctrl-W: the word before the cursor (and the spaces after it). */
  killWordBackward(): void {
    this.kill(this.wordStartBefore(this.position), this.position);
  }

  /** Alt-D: the word after the cursor. */
  killWordForward(): void {
    const from = this.position;
    this.wordRight();
    this.kill(from, this.position);
  }

  /** Ctrl-U: everything before the cursor. */
  killToStart(): void {
    this.kill(0, this.position);
  }

  /** Ctrl-K: everything from the cursor on. */
  killToEnd(): void {
    this.kill(this.position, this.chars.length);
  }

  /** Ctrl-Y: puts back what was killed last. */
  yank(): void {
    if (this.killed !== '') this.insert(this.killed);
  }

  /** Up: the previous history entry; the line being typed is kept as a draft. */
  historyBack(): void {
    if (this.historyIndex === 0) return;
    if (this.historyIndex === this.history.length) this.draft = this.chars;
    this.historyIndex -= 1;
    this.show(graphemes(this.history[this.historyIndex] ?? ''));
  }

  /** Down: the next entry, then the draft again. */
  historyForward(): void {
    if (this.historyIndex >= this.history.length) return;
    this.historyIndex += 1;
    const entry = this.history[this.historyIndex];
    this.show(entry === undefined ? this.draft : graphemes(entry));
  }

  /**
   * Enter: the line is recorded in the history and the input empties. Called only once the line was
   * accepted, so a line the client refused stays where it was to be fixed.
   */
  commit(): void {
    const text = this.text;
    // A /key line holds a passphrase: Up must never bring it back.
    if (text.trim() !== '' && this.history.at(-1) !== text && !isKeyCommand(text)) this.history.push(text);
    if (this.history.length > HISTORY_SIZE) this.history.shift();
    this.historyIndex = this.history.length;
    this.draft = [];
    this.show([]);
  }

  /** Empties the line without recording it (its text went out another way, as part of a paste). */
  clear(): void {
    this.show([]);
  }

  private show(chars: readonly string[]): void {
    this.chars = [...chars];
    this.position = this.chars.length;
  }

  private kill(from: number, to: number): void {
    if (to <= from) return;
    this.killed = this.chars.slice(from, to).join('');
    this.chars.splice(from, to - from);
    this.position = from;
  }

  private wordStartBefore(from: number): number {
    let index = from;
    while (index > 0 && isSpace(this.chars[index - 1])) index -= 1;
    while (index > 0 && !isSpace(this.chars[index - 1])) index -= 1;
    return index;
  }
}

function isSpace(cluster: string | undefined): boolean {
  return cluster !== undefined && /^\s+$/u.test(cluster);
}
