/**
 * The chat screen in the page: the buffer list (rooms and private conversations, with unread counts and
 * mention marks), the focused buffer's lines with its read marker, its people, its topic and the
 * connection line. It draws the terminal client's state (tui/screen/buffers.ts) as it is; each frame
 * reuses the list items of lines that did not change, and a reader scrolled up keeps their place.
 */
import type { BufferList, ChatBuffer } from '../tui/screen/buffers.ts';
import type { BufferLine } from '../tui/screen/lines.ts';
import { byId, element } from './dom.ts';
import { renderLine, renderReadMarker } from './line-render.ts';

export interface ConnectionLine {
  readonly text: string;
  /** `good`, `busy` or `bad`: the colour of the dot. */
  readonly tone: 'good' | 'busy' | 'bad';
}

export interface ViewState {
  readonly buffers: BufferList;
  readonly connection: ConnectionLine;
  /** Candidates for what is being typed (a `/` command), shown above the input. */
  readonly suggestions: readonly string[];
}

/** How close to the bottom (px) still counts as "at the bottom", following new lines. */
const STICKY_PX = 24;

export class ChatView {
  private readonly bufferList = byId('buffer-list', HTMLUListElement);
  private readonly log = byId('log', HTMLOListElement);
  private readonly nickList = byId('nick-list', HTMLUListElement);
  private readonly topic = byId('topic', HTMLSpanElement);
  private readonly title = byId('title', HTMLSpanElement);
  private readonly connection = byId('connection', HTMLSpanElement);
  private readonly suggestions = byId('suggestions', HTMLUListElement);
  /** The rendered items of the focused buffer's lines, by line object: unchanged lines keep their node. */
  private rendered = new Map<BufferLine, HTMLLIElement>();
  private shownBuffer: ChatBuffer | null = null;
  private bufferItems = new Map<ChatBuffer, HTMLLIElement>();

  constructor(
    private readonly onFocus: (buffer: ChatBuffer) => void,
    private readonly onSuggestion: (text: string) => void,
  ) {}

  render(state: ViewState): void {
    const focused = state.buffers.focused;
    this.renderBuffers(state.buffers);
    this.renderLog(focused);
    this.renderNicks(focused);
    this.title.textContent = focused.name;
    this.topic.textContent = focused.kind === 'room' ? focused.topic : 'private conversation';
    this.connection.textContent = state.connection.text;
    this.connection.dataset.tone = state.connection.tone;
    this.renderSuggestions(state.suggestions);
    const unread = state.buffers.all().reduce((sum, buffer) => sum + buffer.unread, 0);
    document.title = unread > 0 ? `(${unread}) udpchat` : 'udpchat';
  }

  /**
   * Each buffer keeps its button for as long as it is open, updated in place: a button replaced while the
   * reader presses it would swallow the click (the press and the release would land on two elements).
   */
  private renderBuffers(buffers: BufferList): void {
    const next = new Map<ChatBuffer, HTMLLIElement>();
    for (const buffer of buffers.all()) {
      const item = this.bufferItems.get(buffer) ?? this.bufferItem(buffer);
      next.set(buffer, item);
      const button = item.firstElementChild as HTMLButtonElement;
      const name = button.querySelector('.name') as HTMLSpanElement;
      const unread = button.querySelector('.unread') as HTMLSpanElement;
      name.textContent = buffer.name;
      unread.textContent = buffer.unread > 0 ? String(buffer.unread) : '';
      unread.hidden = buffer.unread === 0;
      button.classList.toggle('focused', buffer === buffers.focused);
      button.classList.toggle('mention', buffer.mention);
      button.classList.toggle('activity', buffer.activity);
      button.classList.toggle('parted', !buffer.joined);
      button.classList.toggle('dm', buffer.kind === 'dm');
      if (buffer === buffers.focused) button.setAttribute('aria-current', 'true');
      else button.removeAttribute('aria-current');
    }
    this.bufferItems = next;
    const items = [...next.values()];
    const shown = [...this.bufferList.children];
    if (items.length !== shown.length || items.some((item, i) => item !== shown[i]))
      this.bufferList.replaceChildren(...items);
  }

  private bufferItem(buffer: ChatBuffer): HTMLLIElement {
    const button = element('button', 'buffer');
    button.type = 'button';
    button.append(element('span', 'name'), element('span', 'unread'));
    button.addEventListener('click', () => this.onFocus(buffer));
    const item = element('li');
    item.append(button);
    return item;
  }

  private renderLog(buffer: ChatBuffer): void {
    const switched = buffer !== this.shownBuffer;
    const log = this.log;
    const atBottom = switched || log.scrollHeight - log.scrollTop - log.clientHeight < STICKY_PX;
    if (switched) this.rendered = new Map();
    const next = new Map<BufferLine, HTMLLIElement>();
    const nodes: HTMLLIElement[] = [];
    const marker = buffer.readMarker;
    let markerPlaced = marker === null || buffer.lines.at(-1)?.seq === marker;
    for (const line of buffer.lines) {
      if (!markerPlaced && marker !== null && line.seq > marker) {
        nodes.push(renderReadMarker());
        markerPlaced = true;
      }
      const node = this.rendered.get(line) ?? renderLine(line);
      next.set(line, node);
      nodes.push(node);
    }
    this.rendered = next;
    this.shownBuffer = buffer;
    log.replaceChildren(...nodes);
    if (atBottom) log.scrollTop = log.scrollHeight;
  }

  private renderNicks(buffer: ChatBuffer): void {
    const nicks = buffer.kind === 'dm' ? [buffer.name] : buffer.nicks.ordered();
    const sorted = [...nicks].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }));
    this.nickList.replaceChildren(...sorted.map((nick) => element('li', 'person', nick)));
  }

  private renderSuggestions(candidates: readonly string[]): void {
    const items = candidates.map((text) => {
      const button = element('button', 'suggestion', text);
      button.type = 'button';
      button.addEventListener('click', () => this.onSuggestion(text));
      const item = element('li');
      item.append(button);
      return item;
    });
    this.suggestions.replaceChildren(...items);
    this.suggestions.hidden = items.length === 0;
  }
}
