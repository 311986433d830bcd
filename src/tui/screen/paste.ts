/**
 * What a bracketed paste becomes. One line is typed into the input line; several lines are sent as the
 * lines they are (a code snippet keeps its shape, as in irssi and WeeChat), and more than a few wait for a
 * confirmation first, because a wrong clipboard can flood a room. Pure: the input's text around the cursor
 * comes in, lines to send come out.
 */
import { sanitizeText } from '../../protocol/sanitize.ts';

/** Pastes of more lines than this ask before sending: a short snippet goes at once, a page does not. */
export const PASTE_ASK_ABOVE_LINES = 3;

export type PastePlan =
  /** A single line: inserted at the cursor, to be edited and sent with Enter. */
  | { readonly kind: 'insert'; readonly text: string }
  /** A few lines: sent now, in order. */
  | { readonly kind: 'send'; readonly lines: readonly string[] }
  /** Many lines: sent only once the user says so. */
  | { readonly kind: 'ask'; readonly lines: readonly string[] };

/**
 * `before` and `after` are the input's text on each side of the cursor: the paste goes between them, so
 * the first pasted line continues what was typed and the last one carries what followed the cursor.
 * Blank lines are dropped (the relay has nothing to relay for them); a tab becomes a space, and every line
 * is made inert like any other text.
 */
export function planPaste(pasted: string, before: string, after: string): PastePlan {
  const parts = pasted.split(/\r\n|\r|\n/);
  if (parts.length === 1) return { kind: 'insert', text: clean(pasted) };
  const joined = parts.map((part, index) => {
    const first = index === 0 ? before : '';
    const last = index === parts.length - 1 ? after : '';
    return first + clean(part) + last;
  });
  const lines = joined.filter((line) => line.trim() !== '');
  if (lines.length === 0) return { kind: 'insert', text: '' };
  return { kind: lines.length > PASTE_ASK_ABOVE_LINES ? 'ask' : 'send', lines };
}

/** The question shown in place of the input line while a long paste waits. */
export function pasteQuestion(lines: number): string {
  return `send ${lines} pasted lines? Enter: send them, Esc: cancel`;
}

function clean(text: string): string {
  return sanitizeText(text.replace(/\t/g, ' '));
}
