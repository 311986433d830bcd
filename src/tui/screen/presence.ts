/**
 * Join/part noise, collapsed: a run of joins, parts, quits and renames becomes one line
 * (`bob, carol joined · dave left (bye)`), so a busy room's conversation is not pushed off the screen by
 * people coming and going.
 */
import type { BufferLine, LineBody, PresenceItem } from './lines.ts';
import { dayKey } from './timestamp.ts';

/** A collapsed line holds at most this many; then a new one starts, so no line grows without end. */
export const MAX_COLLAPSED = 30;

/** The body that replaces `last` with `item` added, or null when `item` must start a line of its own. */
export function mergePresence(last: BufferLine | undefined, item: PresenceItem, at: Date): LineBody | null {
  if (last === undefined || last.body.kind !== 'presence') return null;
  if (last.body.items.length >= MAX_COLLAPSED || dayKey(last.at) !== dayKey(at)) return null;
  return { kind: 'presence', items: [...last.body.items, item] };
}

interface Group {
  readonly kind: PresenceItem['kind'];
  readonly nicks: string[];
  readonly detail: string;
}

/** `bob, carol joined · dave left (bye) · erin is now known as erin2`. */
export function presenceText(items: readonly PresenceItem[]): string {
  return groups(items).map(groupText).join(' · ');
}

/** Consecutive items of one kind and no reason share a group; reasons and renames stand alone. */
function groups(items: readonly PresenceItem[]): Group[] {
  const out: Group[] = [];
  for (const item of items) {
    const detail = detailOf(item);
    const last = out.at(-1);
    if (last !== undefined && last.kind === item.kind && last.detail === '' && detail === '')
      last.nicks.push(item.nick);
    else out.push({ kind: item.kind, nicks: [item.nick], detail });
  }
  return out;
}

function detailOf(item: PresenceItem): string {
  switch (item.kind) {
    case 'left':
    case 'quit':
      return item.reason;
    case 'renamed':
      return item.to;
    default:
      return '';
  }
}

const VERBS: Readonly<Record<PresenceItem['kind'], string>> = {
  joined: 'joined',
  left: 'left',
  quit: 'quit',
  'timed-out': 'timed out',
  renamed: 'is now known as',
};

function groupText(group: Group): string {
  const who = group.nicks.join(', ');
  if (group.kind === 'renamed') return `${who} ${VERBS.renamed} ${group.detail}`;
  return group.detail === ''
    ? `${who} ${VERBS[group.kind]}`
    : `${who} ${VERBS[group.kind]} (${group.detail})`;
}
