/** What every back end does the same way with a history query. */
import { type HistoryQuery, MAX_HISTORY_PAGE } from '../relay/store.ts';

/** The number of lines a query may return: its limit, cut to MAX_HISTORY_PAGE; nothing for 0, less or NaN. */
export function pageLimit(query: HistoryQuery): number {
  const limit = Math.floor(query.limit);
  if (!(limit > 0)) return 0;
  return Math.min(limit, MAX_HISTORY_PAGE);
}

/** The key of a private conversation: the two nick keys in order (nick keys hold no space). */
export function conversationKey(keyA: string, keyB: string): string {
  return keyA < keyB ? `${keyA} ${keyB}` : `${keyB} ${keyA}`;
}
