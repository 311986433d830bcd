/** The v2 relay endpoint's settings; the binding fills them from the relay's flags. */
import type { RandomSource } from '../../protocol/v2/crypto.ts';
import type { RelayIdentity } from '../../protocol/v2/relay-identity.ts';
import type { ReliableOptions } from '../reliable/options.ts';
import type { ProtectedObserver } from '../session-link.ts';

export interface V2RelayOptions {
  readonly random: RandomSource;
  readonly maxSessions: number;
  /** Sessions per source host; 0 means no cap. */
  readonly maxPerHost: number;
  /**
   * A session not heard for longer is closed (CLOSE 1). The ACCEPT advertises it as whole milliseconds with
   * a keep-alive of at most a third of it (accept-timers.ts); the endpoint evicts on that same whole value.
   * Outside 3 ms to 2^32 - 1 ms the constructor throws: the field cannot carry it.
   */
  readonly idleTimeoutMs: number;
  /**
   * The keep-alive the ACCEPT asks for; absent, a third of the idle timeout, at most 10 s. More than a third
   * of the idle timeout is refused (RangeError): a client following it could be evicted.
   */
  readonly keepAliveMs?: number;
  /**
   * The relay's long-term identity: every ACCEPT carries its key and its proof over the transcript, and
   * reset tokens are derived from it (so a relay restarted with the same identity file can still end the
   * sessions it forgot). Drawn from `random` when absent: a throwaway identity.
   */
  readonly identity?: RelayIdentity;
  /** A CHALLENGE to a session's new address not answered within this long is sent again (default 1 s). */
  readonly challengeRetryMs?: number;
  readonly channel?: Partial<ReliableOptions>;
  /** Told what every protected datagram held as it is sealed or opened here (`--trace`); never a key. */
  readonly observer?: ProtectedObserver;
  /** Where each session's packet numbers start: 0 on the wire; a test may start near the end (2^32 - 1). */
  readonly firstPacketNumber?: number;
}
