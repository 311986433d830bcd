/**
 * The relay's v2 sessions: by session id (every DATA, RESPONSE and CLOSE names one), by HELLO nonce (a
 * re-sent HELLO whose ACCEPT was lost gets the same ACCEPT), and counted per source host for the
 * `--max-per-address` cap, which a session keeps under the host it was created from even if it migrates.
 */
import { hex } from '../../protocol/v2/bytes.ts';
import type { RelaySession } from '../relay-session.ts';

export interface SessionCaps {
  readonly maxSessions: number;
  /** Sessions per source host; 0 means no cap. */
  readonly maxPerHost: number;
}

export class SessionRegistry {
  private readonly byId = new Map<string, RelaySession>();
  private readonly byNonce = new Map<string, RelaySession>();
  private readonly perHost = new Map<string, number>();

  constructor(private readonly caps: SessionCaps) {}

  get size(): number {
    return this.byId.size;
  }

  /** The session a DATA, RESPONSE or CLOSE names, or undefined. */
  withId(sessionId: Uint8Array): RelaySession | undefined {
    return this.byId.get(hex(sessionId));
  }

  /** An id no live session has (8 random bytes collide only in theory; the loop is bounded all the same). */
  freshId(draw: () => Uint8Array): Uint8Array {
    let id = draw();
    for (let tries = 0; tries < 8 && this.byId.has(hex(id)); tries++) id = draw();
    return id;
  }

  /** The session a HELLO with this nonce created, or undefined. */
  withNonce(nonce: Uint8Array): RelaySession | undefined {
    return this.byNonce.get(hex(nonce));
  }

  /** Whether `session` is still one of ours (not closed, timed out or replaced). */
  has(session: RelaySession): boolean {
    return this.byId.get(session.idHex) === session;
  }

  /** Whether a new session from `host` would pass a cap. */
  isFull(host: string): boolean {
    const { maxSessions, maxPerHost } = this.caps;
    return this.byId.size >= maxSessions || (maxPerHost > 0 && (this.perHost.get(host) ?? 0) >= maxPerHost);
  }

  add(session: RelaySession): void {
    this.byId.set(session.idHex, session);
    this.byNonce.set(session.nonceHex, session);
    const host = session.countedHost;
    this.perHost.set(host, (this.perHost.get(host) ?? 0) + 1);
  }

  /** Forgets `session`; false when it was not registered. */
  remove(session: RelaySession): boolean {
    if (!this.has(session)) return false;
    this.byId.delete(session.idHex);
    this.byNonce.delete(session.nonceHex);
    const host = session.countedHost;
    const count = (this.perHost.get(host) ?? 1) - 1;
    if (count > 0) this.perHost.set(host, count);
    else this.perHost.delete(host);
    return true;
  }

  /** Every session, as a copy: the caller may remove sessions while it iterates. */
  snapshot(): RelaySession[] {
    return [...this.byId.values()];
  }
}
