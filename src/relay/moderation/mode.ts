/**
 * `/mode #room +i|-i`: an operator makes the room invite-only (IRC channel mode +i), or open again; the
 * room is told. `/mode #room` alone shows the modes to anyone, as IRC's MODE query does. Setting a mode
 * the room already has changes nothing and announces nothing: the sender is shown the modes.
 * The `#room` may be left out for the current room.
 */
import { lookalikeKey } from '../../protocol/lookalike.ts';
import * as wire from '../../protocol/messages.ts';
import * as mod from '../../protocol/moderation-messages.ts';
import { announceRoomChange } from '../cluster/moderation.ts';
import type { CommandInput, SessionCommand } from '../commands/command.ts';
import { roomFromArgs } from '../commands/room-arg.ts';
import type { RelayContext } from '../context.ts';
import type { Room, Session } from '../session.ts';
import { requireRoomOperator } from './targets.ts';

const LOBBY_KEY = lookalikeKey(wire.LOBBY);
const MODE_CHANGES: ReadonlyMap<string, boolean> = new Map([
  ['+i', true],
  ['-i', false],
]);

function handleMode(ctx: RelayContext, session: Session, input: CommandInput): void {
  const target = roomFromArgs(ctx, session, input.args, false);
  if (target === null) return;
  const { room, rest } = target;
  if (rest === '') {
    showModes(ctx, session, room);
    return;
  }
  const inviteOnly = MODE_CHANGES.get(rest);
  if (inviteOnly === undefined) {
    ctx.refuse(session.address, session, 'usage', wire.usage(modeCommand.syntax));
    return;
  }
  if (requireRoomOperator(ctx, session, room)) setInviteOnly(ctx, session, room, inviteOnly);
}

function setInviteOnly(ctx: RelayContext, session: Session, room: Room, inviteOnly: boolean): void {
  // Registration puts every client in #lobby without asking it, so an invite-only lobby would be a lie.
  if (inviteOnly && room.key === LOBBY_KEY) {
    ctx.refuse(session.address, session, 'usage', mod.LOBBY_STAYS_OPEN);
    return;
  }
  if (room.inviteOnly === inviteOnly) {
    showModes(ctx, session, room);
    return;
  }
  room.inviteOnly = inviteOnly;
  ctx.rooms.changed(room);
  const by = session.nick;
  ctx.toRoom(room, inviteOnly ? mod.inviteOnlySet(by, room.name) : mod.inviteOnlyCleared(by, room.name));
  announceRoomChange(ctx, room, by, { type: 'invite-only', on: inviteOnly });
}

function showModes(ctx: RelayContext, session: Session, room: Room): void {
  ctx.send(session, wire.inRoom(room.name, mod.modesOf(room.name, room.inviteOnly)));
}

export const modeCommand: SessionCommand = {
  name: 'mode',
  syntax: '/mode #room +i|-i',
  summary: 'make the room invite-only, or open again (operators only)',
  throttled: true,
  open: false,
  handle: handleMode,
};
