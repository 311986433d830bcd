/** Reading a `#room` argument: the named room, or the current one when the argument is left out. */
import { firstWord } from '../../protocol/command-line.ts';
import * as wire from '../../protocol/messages.ts';
import { checkRoomName } from '../../protocol/nick.ts';
import type { RelayContext } from '../context.ts';
import type { Room, Session } from '../session.ts';

export interface RoomAndRest {
  readonly room: Room;
  readonly rest: string;
}

/**
 * Takes a leading `#room` from `args` if there is one, else the current room. Refuses (and returns null)
 * when the room does not exist, or when `mustBeMember` and the sender is not in it.
 */
export function roomFromArgs(
  ctx: RelayContext,
  session: Session,
  args: string,
  mustBeMember: boolean,
): RoomAndRest | null {
  const [word, rest] = firstWord(args);
  if (!word.startsWith('#')) {
    if (session.current !== undefined) return { room: session.current, rest: args.trim() };
    ctx.refuse(session.address, session, 'not-in-room', wire.NO_CURRENT_ROOM);
    return null;
  }
  const check = checkRoomName(word);
  const room = check.ok ? ctx.rooms.get(check.key) : undefined;
  if (room === undefined) {
    ctx.refuse(
      session.address,
      session,
      'no-such-room',
      wire.noSuchRoom(check.ok ? check.nick : word.slice(0, 33)),
    );
    return null;
  }
  if (mustBeMember && !room.members.has(session)) {
    ctx.refuse(session.address, session, 'not-in-room', wire.notInRoom(room.name));
    return null;
  }
  return { room, rest };
}
