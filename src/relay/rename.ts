/**
 * A session takes a new nickname: the table learns it, everyone who shares a room is told once, the
 * client is told, and in a cluster the other relays learn it (cluster/outbound.ts). Shared by `/nick` on
 * a relay on its own and by the cluster's answer to the claim a `/nick` makes in a cluster.
 */
import * as wire from '../protocol/messages.ts';
import { announceRename } from './cluster/outbound.ts';
import type { RelayContext } from './context.ts';
import type { Session } from './session.ts';

export function renameSession(ctx: RelayContext, session: Session, nick: string, nickKey: string): void {
  const previous = session.nick;
  const previousKey = session.nickKey;
  ctx.sessions.rename(session, nick, nickKey);
  ctx.toSharers(session, wire.renamed(previous, nick));
  ctx.send(session, wire.youAreNow(nick));
  if (previous !== nick) announceRename(ctx, session, previousKey, previous);
}
