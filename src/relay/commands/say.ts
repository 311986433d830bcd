/**
 * A plain line (seed): relayed as `<nick> text` to the other members of the sender's current room, never
 * echoed to the sender. In the lobby this is exactly the seed's broadcast. With a store, the line is kept
 * and gets an id and a server time, which v2 members see in front of it (protocol/history-messages.ts).
 */
import { encodeLine } from '../../protocol/codec.ts';
import { spokenLine, taggedLine } from '../../protocol/history-messages.ts';
import { MAX_DATAGRAM_BYTES } from '../../protocol/limits.ts';
import * as wire from '../../protocol/messages.ts';
import { DATA_OVERHEAD_BYTES, LINE_FRAME_OVERHEAD_BYTES } from '../../protocol/v2/limits.ts';
import { publishLine } from '../cluster/outbound.ts';
import type { RelayContext } from '../context.ts';
import { carriesIds } from '../peer.ts';
import type { Room, Session } from '../session.ts';
import type { LineKind } from '../store.ts';
import { checkText, fitDatagram } from '../text-check.ts';

/** The longest line (with its `\n`) one v2 DATA carries: a tagged line longer than this goes untagged. */
const MAX_V2_LINE_BYTES = MAX_DATAGRAM_BYTES - DATA_OVERHEAD_BYTES - LINE_FRAME_OVERHEAD_BYTES + 1;

export function handleSay(ctx: RelayContext, session: Session, line: string): void {
  const text = checkText(ctx, session, line);
  if (text !== null) sayInRoom(ctx, session, 'say', text);
}

/** Sends an already-checked line from `session` to its current room (shared by plain lines and /me). */
export function sayInRoom(ctx: RelayContext, session: Session, kind: LineKind, text: string): void {
  const room = session.current;
  if (room === undefined) {
    ctx.refuse(session.address, session, 'not-in-room', wire.NO_CURRENT_ROOM);
    return;
  }
  const line = wire.inRoom(room.name, spokenLine(kind, session.nick, text));
  const payload = fitDatagram(ctx, session, line);
  if (payload === null) return;
  session.lastActive = ctx.now;
  const at = ctx.wallTime();
  // In a cluster, the cluster numbers and keeps the line; it is delivered here when it comes back.
  if (ctx.cluster !== null) {
    if (publishLine(ctx, session, room, kind, text, at)) {
      const recipients = sendToMembers(ctx, room, payload, session, null, at, line);
      ctx.emit({ type: 'relayed', address: session.address, nick: session.nick, recipients });
    }
    return;
  }
  const kept =
    ctx.settings.store?.appendLine({
      roomKey: room.key,
      roomName: room.name,
      at,
      kind,
      nick: session.nick,
      text,
    }) ?? null;
  const recipients = sendToMembers(ctx, room, payload, session, kept?.id ?? null, at, line);
  ctx.emit({ type: 'relayed', address: session.address, nick: session.nick, recipients });
}

/**
 * The line to every member but `except`: v2 members see the line's id and server time in front of it
 * (when it has an id), v1 members the plain line.
 */
export function sendToMembers(
  ctx: RelayContext,
  room: Room,
  payload: Uint8Array,
  except: Session | undefined,
  id: number | null,
  at: number,
  line: string,
): number {
  let tagged: Uint8Array | null = id === null ? payload : null;
  let count = 0;
  for (const member of room.members) {
    if (member === except) continue;
    if (carriesIds(member.address)) {
      tagged ??= tagFor(id as number, at, line, payload);
      ctx.send(member, tagged);
    } else ctx.send(member, payload);
    count++;
  }
  return count;
}

/** Encoded once for all v2 members of a broadcast; a line the tags would make too long goes without. */
function tagFor(id: number, at: number, line: string, payload: Uint8Array): Uint8Array {
  const tagged = encodeLine(taggedLine(id, at, line));
  return tagged.byteLength <= MAX_V2_LINE_BYTES ? tagged : payload;
}
