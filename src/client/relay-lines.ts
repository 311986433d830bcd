/**
 * How the session reads the relay's lines: the answers to a /join, and every other line as one typed event.
 * The wording comes from protocol/messages.ts through line-template.ts, never re-typed.
 */

import { parseHistoryEnd, parseHistoryLine, parseTaggedLine } from '../protocol/history-messages.ts';
import { alreadyJoined, nickInUse, nickInvalid, parseWelcome } from '../protocol/messages.ts';
import { parseRelayLine } from '../protocol/relay-line.ts';
import type { ClientEvent } from './events.ts';
import { type LineMatcher, lineMatcher } from './line-template.ts';

/** How the relay answered a /join: welcomed (or "already joined", after a lost welcome) or refused. */
export type JoinAnswer = { readonly kind: 'welcome'; readonly nick: string } | { readonly kind: 'refused' };

const REFUSALS: readonly LineMatcher[] = [
  lineMatcher(nickInUse, ['text']),
  lineMatcher(nickInvalid, ['text']),
];
const ALREADY_JOINED: LineMatcher = lineMatcher(alreadyJoined, ['text']);

export function readJoinAnswer(line: string): JoinAnswer | null {
  // "already joined" answers a retried /join whose first copy was welcomed but whose welcome was lost.
  const welcomed = parseWelcome(line);
  if (welcomed !== null) return { kind: 'welcome', nick: welcomed };
  const already = ALREADY_JOINED(line)?.[0];
  if (already !== undefined && already.length > 0) return { kind: 'welcome', nick: already };
  if (REFUSALS.some((matches) => matches(line) !== null)) return { kind: 'refused' };
  return null;
}

/**
 * One relay line (already sanitised, not /ping or /pong) as the event a UI shows. A v2 line's id and time
 * (`@msgid=...`) are taken off: the event's `line` is what a v1 client would have been sent.
 */
export function classify(raw: string): ClientEvent {
  const history = classifyHistory(raw);
  if (history !== null) return history;
  const tagged = parseTaggedLine(raw);
  const line = tagged?.line ?? raw;
  const read = parseRelayLine(line);
  switch (read.kind) {
    case 'chat':
    case 'action': {
      const { room, nick, text } = read;
      if (tagged === null) return { type: read.kind, room, nick, text, line };
      return { type: read.kind, room, nick, text, line, id: tagged.id, at: tagged.at };
    }
    case 'private':
      return { type: 'private', nick: read.nick, text: read.text, action: read.action, line };
    case 'notice':
      return { type: 'notice', room: read.room, text: read.text, line };
    default:
      return { type: 'line', line };
  }
}

function classifyHistory(line: string): ClientEvent | null {
  const end = parseHistoryEnd(line);
  if (end !== null)
    return { type: 'history-end', room: end.room, count: end.count, after: end.after, more: end.more, line };
  const kept = parseHistoryLine(line);
  if (kept === null) return null;
  const spoken = parseRelayLine(kept.spoken);
  if (spoken.kind !== 'chat' && spoken.kind !== 'action') return null;
  const { id, at, room } = kept;
  return {
    type: 'history',
    room,
    id,
    at,
    nick: spoken.nick,
    text: spoken.text,
    action: spoken.kind === 'action',
    line,
  };
}
