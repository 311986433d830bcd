/**
 * A member another relay serves leaves the cluster (a quit, a timeout, its relay's death, a kill): it is
 * taken out of every room this relay knew it in, and everyone here who shared one of them hears it once.
 */
import { codePointLength, encodeLine } from '../../protocol/codec.ts';
import { MAX_NICK_CHARS } from '../../protocol/limits.ts';
import { sanitizeText } from '../../protocol/sanitize.ts';
import type { ClusterMember } from '../cluster-bus.ts';
import type { RelayContext } from '../context.ts';
import { departureLine } from '../outbox.ts';
import type { DepartureReason } from '../output.ts';
import type { Session } from '../session.ts';

export function remoteDeparture(
  ctx: RelayContext,
  member: ClusterMember,
  reason: DepartureReason,
  detail = '',
): void {
  const cluster = ctx.cluster;
  if (cluster === null) return;
  const known = cluster.remoteNick(member.nickKey);
  const nick = known?.nick ?? shownNick(member.nick);
  const rooms = cluster.removeEverywhere(member.nickKey, member.node);
  if (nick === null || rooms.length === 0) return;
  const payload = encodeLine(departureLine(nick, reason, detail));
  const told = new Set<Session>();
  for (const roomKey of rooms) {
    for (const local of ctx.rooms.get(roomKey)?.members ?? []) {
      if (told.has(local)) continue;
      told.add(local);
      ctx.send(local, payload);
    }
  }
}

function shownNick(text: string): string | null {
  const safe = sanitizeText(text);
  return safe === '' || codePointLength(safe) > MAX_NICK_CHARS ? null : safe;
}
