/**
 * How the session reads the relay's lines: the answers to a /join, and every other line as one typed event.
 * The wording comes from protocol/messages.ts through line-template.ts, never re-typed.
 */
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

/** One relay line (already sanitised, not /ping or /pong) as the event a UI shows. */
export function classify(line: string): ClientEvent {
  const read = parseRelayLine(line);
  switch (read.kind) {
    case 'chat':
    case 'action':
      return { type: read.kind, room: read.room, nick: read.nick, text: read.text, line };
    case 'private':
      return { type: 'private', nick: read.nick, text: read.text, action: read.action, line };
    case 'notice':
      return { type: 'notice', room: read.room, text: read.text, line };
    default:
      return { type: 'line', line };
  }
}
