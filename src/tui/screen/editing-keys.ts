/**
 * The keys both full-screen UIs (relay and LAN) treat alike: typing and pasting into the input line
 * (a paste is one line, and nothing in it may act on the terminal), readline editing, Tab completion,
 * Enter, PgUp/PgDn, Ctrl-L, Ctrl-Z and quitting. What is left (the buffer keys) goes back to the UI.
 */
import { sanitizeText } from '../../protocol/sanitize.ts';
import { Completer, type CompletionSources } from './completion.ts';
import { InputLine } from './input-line.ts';
import { type Action, actionFor } from './key-bindings.ts';
import type { Key } from './keys.ts';
import type { ChatModel } from './model.ts';
import type { ScreenLoop } from './screen-loop.ts';

/** The buffer keys: only a UI with several buffers does something with them. */
export type BufferAction =
  | { readonly kind: 'focus'; readonly number: number }
  | { readonly kind: 'next-buffer' | 'previous-buffer' | 'most-active' | 'toggle-nicks' };

export interface EditingHost {
  /** Enter: true when the line was taken (it is then cleared and kept in the history). */
  submit(line: string): boolean;
  completionSources(): CompletionSources;
  quit(): void;
}

export class EditingKeys {
  readonly input = new InputLine();
  private readonly completer = new Completer();

  constructor(
    private readonly screen: ScreenLoop,
    private readonly model: ChatModel,
    private readonly host: EditingHost,
  ) {}

  /** Handles `pressed`; a buffer key is returned for the UI, anything else is done here (null). */
  key(pressed: Key): BufferAction | null {
    if (pressed.kind === 'text' || pressed.kind === 'paste') {
      this.completer.reset();
      this.input.insert(sanitizeText(pressed.text.replace(/\r\n|[\r\n\t]/g, ' ')));
      return null;
    }
    if (pressed.ctrl && pressed.name === 'z') {
      this.screen.suspend();
      return null;
    }
    const action = actionFor(pressed);
    return action === null ? null : this.act(action);
  }

  private act(action: Action): BufferAction | null {
    if (action.kind !== 'complete' && action.kind !== 'complete-back') this.completer.reset();
    switch (action.kind) {
      case 'edit':
        this.input[action.edit]();
        return null;
      case 'submit':
        this.submit();
        return null;
      case 'complete':
      case 'complete-back':
        this.completer.complete(
          this.input,
          this.host.completionSources(),
          action.kind === 'complete' ? 1 : -1,
        );
        return null;
      case 'page-up':
      case 'page-down':
        // A screen less one row, so one row of context stays in view.
        this.model.scroll((action.kind === 'page-up' ? 1 : -1) * this.pageRows());
        return null;
      case 'redraw':
        this.screen.redraw();
        return null;
      case 'quit':
        this.host.quit();
        return null;
      case 'focus':
        return action;
      case 'next-buffer':
      case 'previous-buffer':
      case 'most-active':
      case 'toggle-nicks':
        return { kind: action.kind };
    }
  }

  private submit(): void {
    const line = this.input.text;
    if (!this.host.submit(line)) return;
    this.input.commit();
    this.model.focused.scroll = 0;
  }

  private pageRows(): number {
    return Math.max(1, this.screen.terminal.size.rows - 4);
  }
}
