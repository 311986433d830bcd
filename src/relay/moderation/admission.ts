/**
 * Who may enter a room: bans first, then invite-only mode (`+i`), as on IRC, where an invitation lets a
 * nick past `+i` but never past a ban.
 *
 * Server operators pass invite-only rooms without an invitation: they must be able to look into a room
 * reported for abuse (InspIRCd's and Ergo's operator override does the same). They do not pass bans: a
 * ban names one person on purpose, and a server operator's remedy for a room's abuse is /kill, not
 * forcing their way past its operators.
 */
import * as mod from '../../protocol/moderation-messages.ts';
import type { RefusalReason } from '../output.ts';
import type { Room, Session } from '../session.ts';
import { isBanned } from './bans.ts';

export interface AdmissionRefusal {
  readonly reason: RefusalReason;
  readonly line: string;
}

export function admissionRefusal(room: Room, session: Session): AdmissionRefusal | null {
  if (isBanned(room, session)) return { reason: 'banned', line: mod.youAreBanned(room.name) };
  if (room.inviteOnly && !room.invited.has(session.nickKey) && !session.serverOperator)
    return { reason: 'invite-only', line: mod.isInviteOnly(room.name) };
  return null;
}
