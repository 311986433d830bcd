/**
 * The bars around the message area. The status bar, above the input line, says who and where we are and how
 * the connection really is (joining, connected with its round-trip time, no answer for N s, reconnecting),
 * and which other buffers have something new (irssi's "Act:"). The title bar says what this buffer is.
 */
import type { ConnectionStatus } from '../../client/events.ts';
import { displayWidth } from '../../terminal/width.ts';
import type { BufferList, ChatBuffer } from './buffers.ts';
import { type Span, type Style, span } from './styled.ts';
import { barStyle, type Theme } from './theme.ts';
import { formatTimestamp } from './timestamp.ts';

/** A state said directly, for a UI without a relay connection (LAN chat: how many peers are heard). */
export interface StateText {
  readonly text: string;
  readonly level: Level;
}

export interface StatusInfo {
  readonly nick: string;
  /** `host:port` of the relay (or `lan GROUP:PORT`). */
  readonly relay: string;
  readonly connection: ConnectionStatus | StateText;
  /** Which guarantees our lines have: v2 acknowledges each, v1 nothing ('probing': not known yet). */
  readonly protocol: 'probing' | 'v1' | 'v2';
  readonly now: Date;
  /** True when lines said in the focused room are encrypted end to end (docs/PROTOCOL-v2.md 13). */
  readonly sealed?: boolean;
}

/** How a room whose lines we encrypt is marked, after its name in the status bar and the title bar. */
export const SEALED_MARK = 'e2e';

export type Level = 'ok' | 'warn' | 'bad';

/** The connection in a few words, and how worried the reader should be. */
export function connectionText(status: ConnectionStatus): { readonly text: string; readonly level: Level } {
  const silent = Math.floor(status.silentMs / 1000);
  switch (status.state) {
    case 'new':
    case 'joining':
      return { text: status.attempt > 1 ? `joining (try ${status.attempt})` : 'joining', level: 'warn' };
    case 'joined':
      if (status.overdue) return { text: `no answer for ${silent} s`, level: 'bad' };
      return {
        text: status.rttMs === null ? 'connected' : `connected ${formatRtt(status.rttMs)}`,
        level: 'ok',
      };
    case 'reconnecting': {
      if (status.movingTo !== undefined)
        return { text: `relay lost, moving to ${status.movingTo}`, level: 'bad' };
      const wait = Math.ceil((status.nextAttemptInMs ?? 0) / 1000);
      const reconnecting = wait > 0 ? `reconnecting in ${wait} s` : 'reconnecting...';
      // Right after "server going down" the relay was heard a moment ago: no "no answer" yet.
      return {
        text: silent >= 2 ? `no answer for ${silent} s, ${reconnecting}` : reconnecting,
        level: 'bad',
      };
    }
    case 'unanswered':
      return { text: 'no relay answering', level: 'bad' };
    case 'refused':
      return { text: 'nick refused', level: 'bad' };
    default:
      return { text: 'left', level: 'warn' };
  }
}

/** Sub-millisecond round trips (a relay on this machine) keep a decimal; others are whole milliseconds. */
export function formatRtt(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

const LEVEL_COLOURS: Readonly<Record<Level, number>> = { ok: 120, warn: 227, bad: 210 };

/** One bracketed item; on a narrow terminal the least important items are left out first. */
interface Item {
  readonly spans: Span[];
  /** Lower is more important. */
  readonly rank: number;
  /** A shorter form to try when the full one does not fit. */
  readonly short?: Span[];
}

export function statusSpans(
  info: StatusInfo,
  buffers: BufferList,
  theme: Theme,
  scrolled: boolean,
  columns = Number.POSITIVE_INFINITY,
): Span[] {
  const bar = barStyle(theme);
  const focused = buffers.focused;
  const state = 'text' in info.connection ? info.connection : connectionText(info.connection);
  const items: Item[] = [
    { rank: 7, spans: [span(`[${formatTimestamp('%H:%M', info.now)}]`, bar)] },
    { rank: 4, spans: [span(`[${info.nick}]`, barStyle(theme, { bold: true }))] },
    { rank: 6, spans: [span(`[${info.relay}]`, bar)] },
    {
      rank: 3,
      spans: [
        span(`[${buffers.numberOf(focused)}:${focused.name}${info.sealed ? ` ${SEALED_MARK}` : ''}]`, bar),
      ],
    },
    { rank: 0, spans: [span('[', bar), span(state.text, levelStyle(theme, state.level)), span(']', bar)] },
    { rank: 2, spans: info.protocol === 'probing' ? [] : [span(`[${info.protocol}]`, bar)] },
    { rank: 5, spans: activitySpans(buffers, theme, false), short: activitySpans(buffers, theme, true) },
    { rank: 1, spans: scrolled ? [span('[-- more --]', barStyle(theme, { bold: true }))] : [] },
  ];
  return fitItems(items, columns, bar);
}

/** Keeps the most important items that fit (in rank order), shown in their own order, one space apart. */
function fitItems(items: readonly Item[], columns: number, bar: Style): Span[] {
  const present = items.filter((item) => item.spans.length > 0);
  const kept = new Map<Item, Span[]>();
  let used = 0;
  for (const item of [...present].sort((a, b) => a.rank - b.rank)) {
    const gap = kept.size > 0 ? 1 : 0;
    const form = [item.spans, item.short ?? []].find(
      (spans) => spans.length > 0 && used + gap + spansWidth(spans) <= columns,
    );
    if (form === undefined) continue;
    kept.set(item, form);
    used += gap + spansWidth(form);
  }
  const shown = present.map((item) => kept.get(item)).filter((spans) => spans !== undefined);
  return shown.flatMap((spans, index) => (index === 0 ? spans : [span(' ', bar), ...spans]));
}

function spansWidth(spans: readonly Span[]): number {
  return displayWidth(spans.map((s) => s.text).join(''));
}

function levelStyle(theme: Theme, level: Level): Style {
  const bold = level !== 'ok';
  return theme.enabled ? barStyle(theme, { fg: LEVEL_COLOURS[level], bold }) : barStyle(theme, { bold });
}

/**
 * `[Act: 1:#lobby 2:#rust(3) 3:bob(1!)]`: a `!` (and the mention colour) marks a buffer that named us.
 * Short, for a narrow terminal: `[Act: 1 2(3) 3(1!)]`.
 */
function activitySpans(buffers: BufferList, theme: Theme, short: boolean): Span[] {
  const busy = buffers
    .all()
    .filter((b) => b !== buffers.focused && (b.unread > 0 || b.mention || b.activity));
  if (busy.length === 0) return [];
  const bar = barStyle(theme);
  const spans: Span[] = [span('[Act:', bar)];
  for (const buffer of busy) spans.push(span(' ', bar), activityEntry(buffers, buffer, theme, short));
  spans.push(span(']', bar));
  return spans;
}

function activityEntry(buffers: BufferList, buffer: ChatBuffer, theme: Theme, short: boolean): Span {
  const number = buffers.numberOf(buffer);
  const label = short ? String(number) : `${number}:${buffer.name}`;
  if (buffer.mention) {
    const style = theme.enabled
      ? barStyle(theme, { fg: theme.mention, bold: true })
      : barStyle(theme, { bold: true });
    return span(`${label}(${buffer.unread}!)`, style);
  }
  if (buffer.unread > 0) return span(`${label}(${buffer.unread})`, barStyle(theme, { bold: true }));
  return span(label, barStyle(theme, { dim: true }));
}

/** What the buffer is: a room and its topic, a room we are no longer in, or a private conversation. */
export function titleSpans(buffer: ChatBuffer, theme: Theme, sealed = false): Span[] {
  const bar = barStyle(theme);
  if (buffer.kind === 'dm')
    return [span(` ${buffer.name}`, barStyle(theme, { bold: true })), span(' (private)', bar)];
  const spans = [span(` ${buffer.name}`, barStyle(theme, { bold: true }))];
  if (sealed) spans.push(span(` [${SEALED_MARK}: your lines are encrypted end to end]`, bar));
  if (!buffer.joined) spans.push(span(' (not joined: /join to return, /close to close)', bar));
  else if (buffer.topic !== '') spans.push(span(`: ${buffer.topic}`, bar));
  return spans;
}
