/**
 * A plain line (seed): relayed as `<nick> text` to the other members of the sender's current room, never
 * echoed to the sender. In the lobby this is exactly the seed's broadcast.
 */
import * as wire from '../../protocol/messages.ts';
import type { RelayContext } from '../context.ts';
import type { Room, Session } from '../session.ts';
import { checkText, fitDatagram } from '../text-check.ts';

export function handleSay(ctx: RelayContext, session: Session, line: string): void {
  const text = checkText(ctx, session, line);
  if (text !== null) sayInRoom(ctx, session, wire.chat(session.nick, text));
}

/** Sends an already-checked line from `session` to its current room (shared by plain lines and /me). */
export function sayInRoom(ctx: RelayContext, session: Session, line: string): void {
  const room = session.current;
  if (room === undefined) {
    ctx.refuse(session.address, session, 'not-in-room', wire.NO_CURRENT_ROOM);
    return;
  }
  const payload = fitDatagram(ctx, session, wire.inRoom(room.name, line));
  if (payload === null) return;
  session.lastActive = ctx.now;
  const recipients = sendToMembers(ctx, room, payload, session);
  ctx.emit({ type: 'relayed', address: session.address, nick: session.nick, recipients });
}

function sendToMembers(ctx: RelayContext, room: Room, payload: Uint8Array, except: Session): number {
  let count = 0;
  for (const member of room.members) {
    if (member === except) continue;
    ctx.send(member, payload);
    count++;
  }
  return count;
}
