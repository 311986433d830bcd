/**
 * Who the relay talks to. A v1 client is its address: UDP gives nothing else. A v2 client is a session
 * (docs/PROTOCOL-v2.md) whose address can change when its NAT rebinds; it is still an `Address` (its
 * current path, for replies, per-host limits and bans) but its identity is its session key.
 */
import type { Address } from '../protocol/address.ts';

export interface SessionPeer extends Address {
  /** Stable for the life of the session, whatever its address does; never a `host:port` string. */
  readonly sessionKey: string;
}

export function isSessionPeer(address: Address): address is SessionPeer {
  return typeof (address as Partial<SessionPeer>).sessionKey === 'string';
}
