/**
 * Who the relay talks to. A v1 client is its address: UDP gives nothing else. A v2 client is a session
 * (docs/PROTOCOL-v2.md) whose address can change when its NAT rebinds; it is still an `Address` (its
 * current path, for replies, per-host limits and bans) but its identity is its session key.
 */
import type { Address } from '../protocol/address.ts';

export interface SessionPeer extends Address {
  /** Stable for the life of the session, whatever its address does; never a `host:port` string. */
  readonly sessionKey: string;
  /**
   * True for a v2 client: its live room lines carry their message id and server time, and it gets
   * `--history-on-join` lines for v2 clients (docs/PROTOCOL-v2.md, "Message ids").
   */
  readonly linesCarryIds?: boolean;
}

export function carriesIds(address: Address): boolean {
  return (address as Partial<SessionPeer>).linesCarryIds === true;
}

export function isSessionPeer(address: Address): address is SessionPeer {
  return typeof (address as Partial<SessionPeer>).sessionKey === 'string';
}

/**
 * A v2 (UDP, address-validated) session: the only kind resumption serves, because its session key
 * (`v2:` and the session id in hex) is what a resumption proof signs (protocol/v2/resume-proof.ts).
 */
export function isV2Session(address: Address): address is SessionPeer {
  return isSessionPeer(address) && address.sessionKey.startsWith('v2:');
}
