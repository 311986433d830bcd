/**
 * The input field: Enter runs the line (InputCommands, the terminal client's), Tab and Shift-Tab complete
 * nicks, /commands and #rooms (the terminal client's Completer, on a mirror of the field), Up and Down walk
 * the history of sent lines. A line that was not taken (not connected, too long) stays in the field.
 */
import { Completer, type CompletionSources } from '../tui/screen/completion.ts';
import { InputLine } from '../tui/screen/input-line.ts';

export interface InputActions {
  /** Runs the line; true when it was taken (the field is cleared). */
  run(line: string): boolean;
  sources(): CompletionSources;
  /** The text changed (suggestions follow it). */
  changed(): void;
}

export class InputBox {
  private readonly mirror = new InputLine();
  private readonly completer = new Completer();

  constructor(
    private readonly field: HTMLInputElement,
    private readonly actions: InputActions,
  ) {
    field.addEventListener('keydown', (event) => this.key(event));
    field.addEventListener('input', () => {
      this.completer.reset();
      actions.changed();
    });
  }

  get text(): string {
    return this.field.value;
  }

  /** Puts `text` in the field, ready to go on typing. */
  set(text: string): void {
    this.field.value = text;
    this.field.focus();
    this.actions.changed();
  }

  private key(event: KeyboardEvent): void {
    if (event.isComposing) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      this.submit();
    } else if (event.key === 'Tab') {
      event.preventDefault();
      this.complete(event.shiftKey ? -1 : 1);
    } else if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      event.preventDefault();
      this.sync(this.field.value);
      if (event.key === 'ArrowUp') this.mirror.historyBack();
      else this.mirror.historyForward();
      this.field.value = this.mirror.text;
      this.actions.changed();
    }
  }

  private submit(): void {
    const line = this.field.value;
    if (!this.actions.run(line)) return;
    this.sync(line);
    this.mirror.commit();
    this.field.value = '';
    this.actions.changed();
  }

  /** Completes the word before the caret; the text after the caret stays where it is. */
  private complete(step: 1 | -1): void {
    const caret = this.field.selectionStart ?? this.field.value.length;
    const after = this.field.value.slice(caret);
    this.sync(this.field.value.slice(0, caret));
    if (!this.completer.complete(this.mirror, this.actions.sources(), step)) return;
    const before = this.mirror.text;
    this.field.value = before + after;
    this.field.setSelectionRange(before.length, before.length);
    this.actions.changed();
  }

  /** The mirror holds the field's text (the Completer and the history work on it). */
  private sync(text: string): void {
    if (this.mirror.text !== text) this.mirror.replace(0, this.mirror.clusters.length, text);
  }
}
