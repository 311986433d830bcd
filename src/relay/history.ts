/**
 * Room history for the commands and joins that ask for it: the query goes to the binding as a task (the
 * store may be a server away), and the answer comes back through `answerHistory`, which checks that the
 * asker is still here and still in the room, and sends the lines marked as history
 * (protocol/history-messages.ts), sanitised and size-capped like live lines, then the end marker.
 */
import { codePointLength, encodeLine } from '../protocol/codec.ts';
import { type HistoryEndParts, historyEnd, historyLine, spokenLine } from '../protocol/history-messages.ts';
import { MAX_DATAGRAM_BYTES, MAX_LINE_CHARS, MAX_NICK_CHARS } from '../protocol/limits.ts';
import { sanitizeText } from '../protocol/sanitize.ts';
import type { RelayContext } from './context.ts';
import type { Room, Session } from './session.ts';
import type { HistoryPage, HistoryQuery, RoomLine } from './store.ts';

/** Most history queries waiting at once; past it a request is refused (the store is slow or stuck). */
export const MAX_PENDING_HISTORY = 1_024;

/** Asks the store for `query` in `room` on behalf of `session`; false when it cannot be asked now. */
export function requestHistory(
  ctx: RelayContext,
  session: Session,
  room: Room,
  query: HistoryQuery,
  quietIfEmpty = false,
): boolean {
  if (ctx.settings.store === null || ctx.pendingHistory.size >= MAX_PENDING_HISTORY) return false;
  const id = ctx.schedule({ type: 'history', roomKey: room.key, query });
  ctx.pendingHistory.set(id, { session, roomKey: room.key, roomName: room.name, query, quietIfEmpty });
  return true;
}

/** The store's answer to task `id`; dropped if the asker left or is no longer in the room. */
export function answerHistory(ctx: RelayContext, id: number, page: HistoryPage<RoomLine>): void {
  const pending = ctx.pendingHistory.get(id);
  if (pending === undefined) return;
  ctx.pendingHistory.delete(id);
  const { session, roomName } = pending;
  const room = ctx.rooms.get(pending.roomKey);
  if (ctx.sessions.get(session.address) !== session || room === undefined || !room.members.has(session))
    return;
  if (page.lines.length === 0 && pending.quietIfEmpty) return;
  let sent = 0;
  for (const line of page.lines) {
    const payload = historyPayload(roomName, line);
    if (payload === null) continue;
    ctx.send(session, payload);
    sent++;
  }
  ctx.send(session, historyEnd(roomName, sent, moreHint(pending.query, page)));
}

function moreHint(query: HistoryQuery, page: HistoryPage<RoomLine>): HistoryEndParts {
  const after = query.type === 'after' ? { after: query.id } : {};
  const first = page.lines[0];
  const last = page.lines[page.lines.length - 1];
  if (!page.more || first === undefined || last === undefined) return after;
  return query.type === 'after' ? { ...after, newerThan: last.id } : { olderThan: first.id };
}

/**
 * A kept line as the asker gets it. The store's text was checked when it was said, but the file is outside
 * the relay's control: it is sanitised and capped again, and a line that would not fit a datagram is left
 * out rather than cut.
 */
function historyPayload(roomName: string, line: RoomLine): Uint8Array | null {
  const nick = sanitizeText(line.nick);
  const text = sanitizeText(line.text);
  if (nick === '' || text === '' || codePointLength(nick) > MAX_NICK_CHARS) return null;
  if (codePointLength(text) > MAX_LINE_CHARS || !Number.isFinite(line.at)) return null;
  const payload = encodeLine(historyLine(roomName, line.at, line.id, spokenLine(line.kind, nick, text)));
  return payload.byteLength <= MAX_DATAGRAM_BYTES ? payload : null;
}
