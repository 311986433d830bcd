/**
 * Turns the nick resolver's name changes into events: a sender that lost a collision gets `collision`
 * (every peer that heard both shows it as nick#abcd), any other change of a shown name gets `renamed`.
 * A newcomer's own arrival is its `joined` event, so for it only a lost collision is reported; a sender
 * that is leaving gets nothing here (its `left` or `timed-out` says it).
 */
import type { LanEvent } from './events.ts';
import type { DisplayChange } from './nick-resolver.ts';

export function displayEvents(
  changes: readonly DisplayChange[],
  selfId: string,
  arriving: string | null,
  out: LanEvent[],
): void {
  for (const change of changes) {
    if (change.to === null) continue;
    const self = change.senderId === selfId;
    if (change.keptBy !== null && change.from !== change.to) {
      out.push({
        type: 'collision',
        senderId: change.senderId,
        nick: change.nick,
        shownAs: change.to,
        from: change.from,
        keptBy: change.keptBy,
        self,
      });
    } else if (change.from !== null && change.senderId !== arriving) {
      out.push({ type: 'renamed', senderId: change.senderId, from: change.from, to: change.to, self });
    }
  }
}
