/**
 * A bracketed paste, carried out: one line goes into the input line, a few are said at once, and a long one
 * waits with a question in the input line's place until Enter sends it or Esc drops it (paste.ts decides
 * which). Pure state: the UI hands it keys and the host does the saying.
 */
import type { InputLine } from './input-line.ts';
import type { Key } from './keys.ts';
import type { LocalTone } from './lines.ts';
import { pasteQuestion, planPaste } from './paste.ts';

export interface PasteHost {
  /** Says one pasted line; false when it was refused (the host has said why). */
  say(line: string): boolean;
  note(text: string, tone?: LocalTone): void;
}

export class PasteGate {
  private pending: readonly string[] | null = null;

  constructor(
    private readonly input: InputLine,
    private readonly host: PasteHost,
  ) {}

  /** True while a long paste waits for its answer: every key goes to answer(). */
  get waiting(): boolean {
    return this.pending !== null;
  }

  /** What the input line shows instead of itself, or null. */
  get question(): string | null {
    return this.pending === null ? null : pasteQuestion(this.pending.length);
  }

  paste(text: string): void {
    const { clusters, cursor } = this.input;
    const plan = planPaste(text, clusters.slice(0, cursor).join(''), clusters.slice(cursor).join(''));
    if (plan.kind === 'insert') this.input.insert(plan.text);
    else if (plan.kind === 'send') this.send(plan.lines);
    else this.pending = plan.lines;
  }

  /** Enter sends the waiting lines; Esc (or Ctrl-C, Ctrl-G) drops them; any other key is ignored. */
  answer(pressed: Key): void {
    const lines = this.pending ?? [];
    if (pressed.kind !== 'key') return;
    if (pressed.name === 'enter' && !pressed.alt) {
      this.pending = null;
      this.send(lines);
    } else if (
      pressed.name === 'escape' ||
      (pressed.ctrl && (pressed.name === 'c' || pressed.name === 'g'))
    ) {
      this.pending = null;
      this.host.note(`paste of ${lines.length} lines not sent`);
    }
  }

  /** The input's text went into the lines, so it empties; a refused line stops the rest. */
  private send(lines: readonly string[]): void {
    this.input.clear();
    for (const [index, line] of lines.entries()) {
      if (this.host.say(line)) continue;
      const left = lines.length - index;
      this.host.note(`${left} pasted line${left === 1 ? '' : 's'} not sent`, 'error');
      return;
    }
  }
}
