/**
 * Removing a member from a room against its will (a kick, or the kick a ban makes). The removed client
 * always learns why and where its plain lines now go.
 */
import { lookalikeKey } from '../../protocol/lookalike.ts';
import * as wire from '../../protocol/messages.ts';
import type { RelayContext } from '../context.ts';
import { enterRoom, exitRoom } from '../membership.ts';
import type { Room, Session } from '../session.ts';
import { admissionRefusal } from './admission.ts';

const LOBBY_KEY = lookalikeKey(wire.LOBBY);

/**
 * Tells `victim` and then the rest of `room` the `notice`, removes `victim`, and puts it somewhere to talk:
 * a client kicked out of its last room goes back to #lobby, where every client starts. One kicked out of
 * #lobby itself stays in no room (its plain lines are refused) until it joins one: sending it back would
 * undo the kick.
 */
export function ejectFromRoom(ctx: RelayContext, room: Room, victim: Session, notice: string): void {
  const wasCurrent = victim.current === room;
  ctx.send(victim, wire.inRoom(room.name, notice));
  exitRoom(ctx, victim, room, notice, 'kick');
  if (victim.rooms.size === 0) {
    if (room.key !== LOBBY_KEY) returnToLobby(ctx, victim);
    return;
  }
  const current = victim.current;
  if (wasCurrent && current !== undefined)
    ctx.send(victim, wire.inRoom(current.name, wire.nowTalkingIn(current.name)));
}

/** A lobby ban holds here too, or a kick from any room would be a way back into the lobby. */
function returnToLobby(ctx: RelayContext, victim: Session): void {
  const lobby = ctx.rooms.getOrCreate(wire.LOBBY, LOBBY_KEY);
  if (admissionRefusal(lobby, victim) === null) enterRoom(ctx, victim, lobby);
  else ctx.rooms.discardIfEmpty(lobby);
}
