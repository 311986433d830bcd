/**
 * What every packet handler works on: the endpoint's settings, counters, cookie secrets, sessions and
 * schedule. The handlers are plain functions over it (one file per packet type, as Aedes's handlers/), and
 * V2RelayEndpoint owns the one instance.
 */
import type { Address } from '../../protocol/address.ts';
import type { CookieJar } from '../../protocol/v2/cookie.ts';
import type { RelaySession } from '../relay-session.ts';
import type { V2RelayOptions } from './options.ts';
import type { SessionSchedule } from './schedule.ts';
import type { SessionRegistry } from './sessions.ts';
import type { V2RelaySink } from './sink.ts';
import type { V2RelayStats } from './stats.ts';

export interface EndpointState {
  readonly options: V2RelayOptions;
  readonly stats: V2RelayStats;
  readonly cookies: CookieJar;
  readonly sessions: SessionRegistry;
  readonly schedule: SessionSchedule;
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

/** Removes `session` from the table and the schedule; false when it was already gone. */
export function endSession(state: EndpointState, session: RelaySession): boolean {
  if (!state.sessions.remove(session)) return false;
  state.schedule.forget(session);
  return true;
}
