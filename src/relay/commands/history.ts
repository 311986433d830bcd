/**
 * `/history [#room] [N]`: the last N lines (default 20, at most MAX_HISTORY_PAGE) of a room the sender is
 * in; `/history #room before <id> [N]` pages back from a line; `/history #room after <id> [N]` fills a gap
 * (what was said after the last line a client saw). The answer comes later (history.ts), one line each
 * marked as history, then an end marker.
 */
import { firstWord } from '../../protocol/command-line.ts';
import { HISTORY_BUSY, HISTORY_USAGE, NO_HISTORY } from '../../protocol/history-messages.ts';
import * as wire from '../../protocol/messages.ts';
import type { RelayContext } from '../context.ts';
import { requestHistory } from '../history.ts';
import type { Session } from '../session.ts';
import { DEFAULT_HISTORY_LINES, type HistoryQuery, MAX_HISTORY_PAGE } from '../store.ts';
import type { CommandInput, SessionCommand } from './command.ts';
import { roomFromArgs } from './room-arg.ts';

const WHOLE_NUMBER = /^\d{1,15}$/;

function handleHistory(ctx: RelayContext, session: Session, input: CommandInput): void {
  const target = roomFromArgs(ctx, session, input.args, true);
  if (target === null) return;
  const query = parseQuery(target.rest);
  if (query === null) {
    ctx.refuse(session.address, session, 'usage', wire.usage(HISTORY_USAGE));
    return;
  }
  if (!requestHistory(ctx, session, target.room, query))
    ctx.send(session, ctx.settings.store === null ? NO_HISTORY : HISTORY_BUSY);
}

/** `[N]`, `before <id> [N]` or `after <id> [N]`; null when it is none of them. */
export function parseQuery(rest: string): HistoryQuery | null {
  const [first, afterFirst] = firstWord(rest);
  if (first === '') return { type: 'last', limit: DEFAULT_HISTORY_LINES };
  if (first !== 'before' && first !== 'after') {
    const limit = count(first);
    return limit === null || afterFirst !== '' ? null : { type: 'last', limit };
  }
  const [idText, afterId] = firstWord(afterFirst);
  const [limitText, extra] = firstWord(afterId);
  const id = WHOLE_NUMBER.test(idText) ? Number(idText) : null;
  const limit = limitText === '' ? DEFAULT_HISTORY_LINES : count(limitText);
  if (id === null || limit === null || extra !== '') return null;
  return { type: first, id, limit };
}

/** A count from 1 up; above MAX_HISTORY_PAGE it is cut there, as documented. */
function count(text: string): number | null {
  if (!WHOLE_NUMBER.test(text)) return null;
  const value = Number(text);
  return value >= 1 ? Math.min(value, MAX_HISTORY_PAGE) : null;
}

export const historyCommand: SessionCommand = {
  name: 'history',
  syntax: HISTORY_USAGE,
  summary: `show a room's recent lines (default ${DEFAULT_HISTORY_LINES}, at most ${MAX_HISTORY_PAGE}), or page back/forward from a line id`,
  throttled: true,
  open: false,
  handle: handleHistory,
};
