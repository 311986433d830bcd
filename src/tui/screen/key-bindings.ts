/**
 * Which key does what: readline/Emacs editing (what bash, irssi and WeeChat users already have in their
 * fingers), irssi's buffer keys (Alt-1..9 and Alt-0 for 10, Ctrl-N/Ctrl-P, Alt-A to the most active),
 * PgUp/PgDn for scrollback, Alt-N for the nick-list pane (WeeChat's toggle).
 */
import type { Key } from './keys.ts';

/** What an editing key does to the input line (InputLine's method names). */
export type EditAction =
  | 'deleteBackward'
  | 'deleteForward'
  | 'moveLeft'
  | 'moveRight'
  | 'home'
  | 'end'
  | 'wordLeft'
  | 'wordRight'
  | 'killWordBackward'
  | 'killWordForward'
  | 'killToStart'
  | 'killToEnd'
  | 'yank'
  | 'historyBack'
  | 'historyForward';

export type Action =
  | { readonly kind: 'edit'; readonly edit: EditAction }
  | { readonly kind: 'focus'; readonly number: number }
  | {
      readonly kind:
        | 'submit'
        | 'quit'
        | 'redraw'
        | 'complete'
        | 'complete-back'
        | 'page-up'
        | 'page-down'
        | 'next-buffer'
        | 'previous-buffer'
        | 'most-active'
        | 'toggle-nicks';
    };

const edit = (name: EditAction): Action => ({ kind: 'edit', edit: name });

const PLAIN_KEYS: Readonly<Record<string, Action>> = {
  enter: { kind: 'submit' },
  tab: { kind: 'complete' },
  backspace: edit('deleteBackward'),
  delete: edit('deleteForward'),
  left: edit('moveLeft'),
  right: edit('moveRight'),
  home: edit('home'),
  end: edit('end'),
  up: edit('historyBack'),
  down: edit('historyForward'),
  pageup: { kind: 'page-up' },
  pagedown: { kind: 'page-down' },
};

const CTRL_KEYS: Readonly<Record<string, Action>> = {
  a: edit('home'),
  e: edit('end'),
  b: edit('moveLeft'),
  f: edit('moveRight'),
  h: edit('deleteBackward'),
  d: edit('deleteForward'),
  w: edit('killWordBackward'),
  u: edit('killToStart'),
  k: edit('killToEnd'),
  y: edit('yank'),
  left: edit('wordLeft'),
  right: edit('wordRight'),
  n: { kind: 'next-buffer' },
  p: { kind: 'previous-buffer' },
  l: { kind: 'redraw' },
  c: { kind: 'quit' },
};

const ALT_KEYS: Readonly<Record<string, Action>> = {
  b: edit('wordLeft'),
  f: edit('wordRight'),
  d: edit('killWordForward'),
  backspace: edit('killWordBackward'),
  left: { kind: 'previous-buffer' },
  right: { kind: 'next-buffer' },
  a: { kind: 'most-active' },
  n: { kind: 'toggle-nicks' },
  '0': { kind: 'focus', number: 10 },
};

export function actionFor(pressed: Key): Action | null {
  if (pressed.kind !== 'key') return null;
  if (pressed.name === 'tab' && pressed.shift) return { kind: 'complete-back' };
  if (pressed.alt) {
    if (/^[1-9]$/.test(pressed.name)) return { kind: 'focus', number: Number(pressed.name) };
    return ALT_KEYS[pressed.name] ?? null;
  }
  if (pressed.ctrl) return CTRL_KEYS[pressed.name] ?? null;
  return PLAIN_KEYS[pressed.name] ?? null;
}
