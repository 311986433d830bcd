/**
 * One buffer line as a list item: the same BufferLine the terminal client draws as cells (tui/screen/
 * lines.ts), drawn here as spans with classes for the stylesheet. Nick colours come from the terminal
 * client's hash, so a nick has the same hue in both.
 */
import { nickHash } from '../tui/format.ts';
import type { BufferLine, LineBody } from '../tui/screen/lines.ts';
import { presenceText } from '../tui/screen/presence.ts';
import { formatDay, formatTimestamp } from '../tui/screen/timestamp.ts';
import { element } from './dom.ts';

/** Nick colour classes .nick-0 .. .nick-5 in app.css. */
const NICK_HUES = 6;

export function renderLine(line: BufferLine): HTMLLIElement {
  const item = element('li', `line is-${line.body.kind}`);
  item.dataset.seq = String(line.seq);
  if (line.body.kind === 'day') {
    item.textContent = formatDay(line.body.at);
    return item;
  }
  item.append(element('time', 'at', formatTimestamp('%H:%M', line.at)));
  fill(item, line.body);
  return item;
}

/** The marker above the first line that arrived while the reader was elsewhere. */
export function renderReadMarker(): HTMLLIElement {
  return element('li', 'line read-marker', 'new since you were last here');
}

function fill(item: HTMLLIElement, body: LineBody): void {
  switch (body.kind) {
    case 'chat':
    case 'action': {
      if (body.mention) item.classList.add('mention');
      if (body.own) item.classList.add('own');
      const nick = element('span', `nick nick-${nickHash(body.nick) % NICK_HUES}`, body.nick);
      if (body.kind === 'action') item.append(element('span', 'star', '*'), nick);
      else item.append(element('span', 'bracket', '<'), nick, element('span', 'bracket', '>'));
      item.append(element('span', 'text', body.text));
      if (body.delivery === 'pending') item.append(element('span', 'delivery pending', 'sending…'));
      if (body.delivery === 'failed') item.append(element('span', 'delivery failed', 'not delivered'));
      return;
    }
    case 'history':
      item.classList.add('is-history');
      item.append(
        element('span', 'star', body.action ? '*' : ''),
        element('span', 'nick', body.nick),
        element('span', 'text', body.text),
      );
      return;
    case 'notice':
      item.append(element('span', 'text', body.text));
      return;
    case 'raw':
      item.append(element('span', 'text', body.text));
      return;
    case 'local':
      item.classList.add(`tone-${body.tone}`);
      item.append(element('span', 'text', body.text));
      return;
    case 'presence':
      item.append(element('span', 'text', presenceText(body.items)));
      return;
    case 'day':
      return;
  }
}
