/**
 * The nick-list pane: who is in the focused room, alphabetically, down the right of the message area
 * (irssi's and WeeChat's nicklist), toggled with Alt-N or /nicks. It takes columns from the messages only
 * when there is room for both, so a narrow terminal keeps every column for the text.
 */
import type { ChatBuffer } from './buffers.ts';
import { fitRow, padRow } from './layout.ts';
import { type Row, span } from './styled.ts';
import { fg, nickColour, type Theme } from './theme.ts';

/** The pane's width with its separator: room for a nick of the relay's usual length and a count. */
export const NICK_PANE_COLUMNS = 18;
/** Below this width the pane is not drawn: the messages need the columns more. */
export const NICK_PANE_MIN_SCREEN = 60;

/** Whether the pane is drawn for `buffer` on a screen `columns` wide (rooms only: a private buffer has two). */
export function nickPaneShown(wanted: boolean, buffer: ChatBuffer, columns: number): boolean {
  return wanted && buffer.kind === 'room' && buffer.joined && columns >= NICK_PANE_MIN_SCREEN;
}

/** The columns left for the messages beside the pane. */
export function messageColumns(columns: number, paneShown: boolean): number {
  return paneShown ? columns - NICK_PANE_COLUMNS : columns;
}

/**
 * `height` rows of the pane: a separator, then a heading with the member count and the nicks. Members
 * who do not fit are counted on the last row (`+12 more`), so the pane never claims everyone is shown.
 */
export function nickPaneRows(buffer: ChatBuffer, height: number, theme: Theme): Row[] {
  const width = NICK_PANE_COLUMNS - 1;
  const nicks = buffer.nicks.ordered().sort((a, b) => a.localeCompare(b));
  const dim = fg(theme, theme.timestamp);
  const lines: Row[] = [fitRow([span(`${nicks.length} here`, { bold: true })], width)];
  const room = Math.max(0, height - 1);
  const shown = nicks.length > room ? nicks.slice(0, Math.max(0, room - 1)) : nicks;
  for (const nick of shown) lines.push(fitRow([span(nick, fg(theme, nickColour(theme, nick)))], width));
  if (shown.length < nicks.length && room > 0)
    lines.push(fitRow([span(`+${nicks.length - shown.length} more`, dim)], width));
  const rows: Row[] = [];
  for (let index = 0; index < height; index += 1) {
    rows.push([{ text: '│', style: dim }, ...(lines[index] ?? padRow([], width))]);
  }
  return rows;
}
