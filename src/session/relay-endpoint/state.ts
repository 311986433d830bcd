/**
 * What every packet handler works on: the endpoint's settings, counters, cookie secrets, sessions and
 * schedule. The handlers are plain functions over it (one file per packet type, as Aedes's handlers/), and
 * V2RelayEndpoint owns the one instance.
 */
import type { Address } from '../../protocol/address.ts';
import type { AdvertisedTimers } from '../../protocol/v2/accept-timers.ts';
import type { CookieJar } from '../../protocol/v2/cookie.ts';
import type { RelayIdentity } from '../../protocol/v2/relay-identity.ts';
import type { RelaySession } from '../relay-session.ts';
import type { V2RelayOptions } from './options.ts';
import type { SessionSchedule } from './schedule.ts';
import type { SessionRegistry } from './sessions.ts';
import type { V2RelaySink } from './sink.ts';
import type { SpentNonces } from './spent-nonces.ts';
import type { V2RelayStats } from './stats.ts';

export interface EndpointState {
  readonly options: V2RelayOptions;
  readonly stats: V2RelayStats;
  readonly cookies: CookieJar;
  readonly sessions: SessionRegistry;
  readonly schedule: SessionSchedule;
  /** What every ACCEPT advertises; `idleTimeoutMs` is also the endpoint's own eviction threshold. */
  readonly timers: AdvertisedTimers;
  /** Proves the relay in every ACCEPT; its reset key derives each session's token (REJECT 4) from the id alone. */
  readonly identity: RelayIdentity;
  /** Nonces of sessions that ended: their HELLO cannot open a second session. */
  readonly spentNonces: SpentNonces;
}

/**
 * One packet type's handler. `routingId` is what `peek` read at offset 3: the nonce of a HELLO, the session
 * id of a DATA, RESPONSE or CLOSE.
 */
export type PacketHandler = (
  state: EndpointState,
  now: number,
  from: Address,
  bytes: Uint8Array,
  routingId: Uint8Array,
  sink: V2RelaySink,
) => void;

/** Removes `session` from the table and the schedule, and spends its nonce; false when it was already gone. */
export function endSession(state: EndpointState, now: number, session: RelaySession): boolean {
  if (!state.sessions.remove(session)) return false;
  state.schedule.forget(session);
  state.spentNonces.add(now, session.nonceHex);
  return true;
}

/** Counts a dropped datagram under its reason (docs/PROTOCOL-v2.md, section 14). */
export function countDrop(stats: V2RelayStats, reason: string): void {
  stats.dropped++;
  if (reason === 'auth') stats.authFailed++;
  else if (reason === 'replay') stats.replayed++;
  else if (reason === 'too-many-lines') stats.tooManyLines++;
  else stats.malformed++;
}
