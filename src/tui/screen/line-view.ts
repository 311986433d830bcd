/**
 * How each kind of buffer line looks: timestamp, the nick in its colour, the text, and the hanging indent
 * that lines wrapped rows up under the message. Rows are cached per line and width: a line object never
 * changes (presence.ts replaces it), so redrawing a long scrollback costs only the new lines.
 */

import { OPENED_MARK } from '../../protocol/room-messages.ts';
import { displayWidth } from '../../terminal/width.ts';
import { appendTail, wrap } from './layout.ts';
import type { BufferLine, Delivery, LineBody, LocalTone } from './lines.ts';
import { presenceText } from './presence.ts';
import type { Cell } from './styled.ts';
import { type Span, type Style, span } from './styled.ts';
import { fg, nickColour, type Theme } from './theme.ts';
import { formatDay, formatTimestamp } from './timestamp.ts';

export interface LineViewOptions {
  readonly theme: Theme;
  /** strftime subset; empty for no timestamps. */
  readonly timestampFormat: string;
}

/** A line's spans, how far its continuation rows are indented, and a mark that follows the wrapped text. */
export interface LineLook {
  readonly spans: readonly Span[];
  readonly indent: number;
  readonly tail: readonly Span[];
}

/** What follows one of our lines while the relay has not acknowledged it, and once it gave up on it. */
export const PENDING_MARK = '…';
export const FAILED_MARK = '✗ not delivered';

export class LineView {
  private readonly cache = new WeakMap<BufferLine, { readonly width: number; readonly rows: Cell[][] }>();

  constructor(private readonly options: LineViewOptions) {}

  /** The rows `line` takes at `width` columns (unpadded). */
  rows(line: BufferLine, width: number): Cell[][] {
    const cached = this.cache.get(line);
    if (cached !== undefined && cached.width === width) return cached.rows;
    const look = this.look(line);
    const rows = appendTail(wrap(look.spans, width, look.indent), look.tail, width, look.indent);
    this.cache.set(line, { width, rows });
    return rows;
  }

  look(line: BufferLine): LineLook {
    const { theme, timestampFormat } = this.options;
    if (line.body.kind === 'day') {
      return {
        spans: [span(`--- Day changed to ${formatDay(line.body.at)}`, fg(theme, theme.timestamp))],
        indent: 0,
        tail: [],
      };
    }
    // History is stamped with the time it was said, not the time it was shown.
    const at = line.body.kind === 'history' ? line.body.said : line.at;
    const stamp = timestampFormat === '' ? '' : `${formatTimestamp(timestampFormat, at)} `;
    const head = stamp === '' ? [] : [span(stamp, fg(theme, theme.timestamp))];
    const body = this.bodySpans(line.body);
    const lead = body.spans
      .slice(0, body.leadSpans)
      .map((s) => s.text)
      .join('');
    return {
      spans: [...head, ...body.spans],
      indent: displayWidth(stamp + lead),
      tail: this.tail(line.body),
    };
  }

  /**
   * The delivery mark goes after the text rather than in it: the text wraps the same with or without it, so
   * an acknowledgement changes at most the last row.
   */
  private tail(body: LineBody): Span[] {
    const delivery: Delivery | undefined =
      body.kind === 'chat' || body.kind === 'action' ? body.delivery : undefined;
    const { theme } = this.options;
    if (delivery === 'pending')
      return [span(' '), span(PENDING_MARK, fg(theme, theme.timestamp, { dim: true }))];
    if (delivery === 'failed') return [span(' '), span(FAILED_MARK, fg(theme, theme.error, { bold: true }))];
    return [];
  }

  /** The body's spans, and how many of the first spans make the prefix that continuation rows indent past. */
  private bodySpans(body: LineBody): { spans: Span[]; leadSpans: number } {
    const { theme } = this.options;
    switch (body.kind) {
      case 'chat': {
        const mark = this.sealedSpans(body);
        return {
          spans: [
            ...mark,
            span(`<${body.nick}>`, this.nickStyle(body)),
            span(' '),
            span(body.text, this.textStyle(body)),
          ],
          leadSpans: mark.length + 2,
        };
      }
      case 'action': {
        const mark = this.sealedSpans(body);
        return {
          spans: [
            ...mark,
            span(' * '),
            span(body.nick, this.nickStyle(body)),
            span(` ${body.text}`, this.textStyle(body)),
          ],
          leadSpans: mark.length + 1,
        };
      }
      case 'notice':
        return {
          spans: [span('*** ', fg(theme, theme.notice)), span(body.text, fg(theme, theme.notice))],
          leadSpans: 1,
        };
      case 'raw':
        return { spans: [span(body.text)], leadSpans: 0 };
      case 'history': {
        // Dim and marked, so history never reads as something said just now.
        const quiet = fg(theme, theme.timestamp, { dim: true });
        const who = body.action ? ` * ${body.nick}` : `<${body.nick}>`;
        const mark = this.sealedSpans(body);
        return {
          spans: [span('[history] ', quiet), ...mark, span(who, quiet), span(` ${body.text}`, quiet)],
          leadSpans: mark.length + 2,
        };
      }
      case 'local':
        return {
          spans: [span('-!- ', this.toneStyle(body.tone)), span(body.text, this.toneStyle(body.tone))],
          leadSpans: 1,
        };
      case 'presence':
        return {
          spans: [
            span('-- ', fg(theme, theme.notice, { dim: true })),
            span(presenceText(body.items), { dim: true }),
          ],
          leadSpans: 1,
        };
      default:
        return { spans: [], leadSpans: 0 };
    }
  }

  /** `[e2e] ` before the nick of a line opened with the room's key. */
  private sealedSpans(body: { readonly sealed?: true }): Span[] {
    const { theme } = this.options;
    return body.sealed === true ? [span(`${OPENED_MARK} `, fg(theme, theme.good))] : [];
  }

  private nickStyle(body: { readonly nick: string; readonly own: boolean }): Style {
    const { theme } = this.options;
    return body.own
      ? fg(theme, theme.own, { bold: true })
      : fg(theme, nickColour(theme, body.nick), { bold: true });
  }

  private textStyle(body: { readonly own: boolean; readonly mention: boolean }): Style {
    const { theme } = this.options;
    return body.mention && !body.own ? fg(theme, theme.mention, { bold: true }) : {};
  }

  private toneStyle(tone: LocalTone): Style {
    const { theme } = this.options;
    if (tone === 'error') return fg(theme, theme.error, { bold: true });
    return fg(theme, tone === 'good' ? theme.good : theme.local);
  }
}
