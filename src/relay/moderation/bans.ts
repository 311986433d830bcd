/**
 * Room bans. A registered nick is banned by account, so a new nick or address does not evade it; an
 * unregistered one by source host, because its port changes with every restart of the client (and a
 * nick costs nothing). As an IRC `*!*@host` ban, a host ban holds for everyone from that host.
 */
import type { Room, RoomBan, Session } from '../session.ts';

/** The cap /ban checks, re-exported for it from its one home. */

/** The ban that keeps `target` out: its account if it has one, else its source host. */
export function banFor(target: Session): RoomBan {
  return {
    account: target.account,
    host: target.account === null ? target.address.host : null,
    nickKey: target.nickKey,
    nick: target.nick,
  };
}

export function matchesBan(ban: RoomBan, session: Session): boolean {
  if (ban.account !== null) return session.account === ban.account;
  return ban.host !== null && session.address.host === ban.host;
}

export function isBanned(room: Room, session: Session): boolean {
  return room.bans.some((ban) => matchesBan(ban, session));
}

/** Removes the bans made for `nickKey`; returns them (none when there were none). */
export function liftBans(room: Room, nickKey: string): RoomBan[] {
  const lifted = room.bans.filter((ban) => ban.nickKey === nickKey);
  if (lifted.length === 0) return lifted;
  const kept = room.bans.filter((ban) => ban.nickKey !== nickKey);
  room.bans.splice(0, room.bans.length, ...kept);
  return lifted;
}
