/**
 * What a relay notice means, for the client's own bookkeeping (which rooms we are in, who is in them) and
 * for UIs that show presence or topics. Every shape comes from the relay's templates (protocol/messages.ts,
 * protocol/moderation-messages.ts) so the client reads exactly what the relay writes.
 */
import * as wire from '../protocol/messages.ts';
import * as moderation from '../protocol/moderation-messages.ts';
import { type LineMatcher, lineMatcher } from './line-template.ts';

export type NoticeMeaning =
  | { readonly kind: 'joined'; readonly nick: string }
  | { readonly kind: 'left'; readonly nick: string; readonly reason: string }
  | { readonly kind: 'timed-out'; readonly nick: string }
  | { readonly kind: 'killed'; readonly nick: string; readonly detail: string }
  | { readonly kind: 'kicked'; readonly nick: string; readonly by: string; readonly reason: string }
  | { readonly kind: 'renamed'; readonly from: string; readonly to: string }
  | { readonly kind: 'you-renamed'; readonly nick: string }
  | { readonly kind: 'members'; readonly nicks: readonly string[] }
  | { readonly kind: 'you-joined'; readonly room: string }
  | { readonly kind: 'you-left'; readonly room: string; readonly current: string }
  | { readonly kind: 'now-talking'; readonly room: string }
  | { readonly kind: 'refused-room'; readonly room: string }
  | { readonly kind: 'you-were-killed'; readonly by: string }
  | { readonly kind: 'topic'; readonly topic: string; readonly by: string | null }
  | { readonly kind: 'server-going-down' }
  /** A welcome while already joined: the answer to a repeated /join (a retry, or a reconnect's extras). */
  | { readonly kind: 'welcome'; readonly nick: string }
  | { readonly kind: 'other' };

type Reader = (line: string) => NoticeMeaning | null;

/** A reader from a template: the slots' values go to `build`. */
function shape(
  template: (...values: string[]) => string,
  slots: readonly ('word' | 'text')[],
  build: (values: string[]) => NoticeMeaning,
): Reader {
  const matcher: LineMatcher = lineMatcher(template, slots);
  return (line) => {
    const values = matcher(line);
    return values === null ? null : build(values);
  };
}

const at = (values: readonly string[], index: number): string => values[index] ?? '';

/**
 * Most specific first: `bob left (bye)` must be read as a reason before `bob left` could match, and the
 * "you ..." lines before the general ones about a nick.
 */
const READERS: readonly Reader[] = [
  shape(wire.youJoinedRoom, ['word'], (v) => ({ kind: 'you-joined', room: at(v, 0) })),
  shape(wire.youPartedRoom, ['word', 'word'], (v) => ({
    kind: 'you-left',
    room: at(v, 0),
    current: at(v, 1),
  })),
  shape(wire.nowTalkingIn, ['word'], (v) => ({ kind: 'now-talking', room: at(v, 0) })),
  shape(wire.youAreNow, ['word'], (v) => ({ kind: 'you-renamed', nick: at(v, 0) })),
  shape(
    (by, reason) => moderation.youWereKilled(by, reason),
    ['word', 'text'],
    (v) => ({ kind: 'you-were-killed', by: at(v, 0) }),
  ),
  shape(
    (by) => moderation.youWereKilled(by, ''),
    ['word'],
    (v) => ({ kind: 'you-were-killed', by: at(v, 0) }),
  ),
  shape(moderation.youAreBanned, ['word'], (v) => ({ kind: 'refused-room', room: at(v, 0) })),
  shape(moderation.isInviteOnly, ['word'], (v) => ({ kind: 'refused-room', room: at(v, 0) })),
  shape(wire.members, ['text'], (v) => ({ kind: 'members', nicks: memberNicks(at(v, 0)) })),
  shape(wire.topicIs, ['text'], (v) => ({ kind: 'topic', topic: at(v, 0), by: null })),
  shape(
    (by, topic) => wire.topicSetBy(by, topic),
    ['word', 'text'],
    (v) => ({ kind: 'topic', topic: at(v, 1), by: at(v, 0) }),
  ),
  shape(
    (by) => wire.topicSetBy(by, ''),
    ['word'],
    (v) => ({ kind: 'topic', topic: '', by: at(v, 0) }),
  ),
  shape(wire.renamed, ['word', 'word'], (v) => ({ kind: 'renamed', from: at(v, 0), to: at(v, 1) })),
  shape(
    (nick, by, reason) => moderation.kicked(nick, by, reason),
    ['word', 'word', 'text'],
    (v) => ({ kind: 'kicked', nick: at(v, 0), by: at(v, 1), reason: at(v, 2) }),
  ),
  shape(
    (nick, by) => moderation.kicked(nick, by, ''),
    ['word', 'word'],
    (v) => ({ kind: 'kicked', nick: at(v, 0), by: at(v, 1), reason: '' }),
  ),
  shape(moderation.wasKilled, ['word', 'text'], (v) => ({
    kind: 'killed',
    nick: at(v, 0),
    detail: at(v, 1),
  })),
  shape(
    (nick, reason) => wire.roomParted(nick, reason),
    ['word', 'text'],
    (v) => ({ kind: 'left', nick: at(v, 0), reason: at(v, 1) }),
  ),
  shape(
    (nick) => wire.roomParted(nick, ''),
    ['word'],
    (v) => ({ kind: 'left', nick: at(v, 0), reason: '' }),
  ),
  shape(wire.timedOut, ['word'], (v) => ({ kind: 'timed-out', nick: at(v, 0) })),
  shape(wire.joined, ['word'], (v) => ({ kind: 'joined', nick: at(v, 0) })),
  shape(wire.welcome, ['word'], (v) => ({ kind: 'welcome', nick: at(v, 0) })),
];

/** Reads a notice's text (the part between `*** ` and ` ***`, as NoticeEvent.text carries it). */
export function readNotice(text: string): NoticeMeaning {
  const line = wire.notice(text);
  if (line === wire.SERVER_GOING_DOWN) return { kind: 'server-going-down' };
  for (const read of READERS) {
    const meaning = read(line);
    if (meaning !== null) return meaning;
  }
  return { kind: 'other' };
}

/** `@alice, bob` -> `['alice', 'bob']`: the operator mark is not part of the nick. */
function memberNicks(list: string): string[] {
  return list
    .split(', ')
    .map((entry) => (entry.startsWith('@') ? entry.slice(1) : entry))
    .filter((nick) => nick.length > 0);
}
