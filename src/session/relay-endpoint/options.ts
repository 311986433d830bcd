/** The v2 relay endpoint's settings; the binding fills them from the relay's flags. */
import type { RandomSource } from '../../protocol/v2/crypto.ts';
import type { ReliableOptions } from '../reliable/options.ts';

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
   * The 32-byte key reset tokens are derived from (reset-token.ts). Drawn from `random` when absent, so a
   * relay that restarts cannot end its previous sessions; a relay given the same key can.
   */
  readonly resetKey?: Uint8Array;
  /** A CHALLENGE to a session's new address not answered within this long is sent again (default 1 s). */
  readonly challengeRetryMs?: number;
  readonly channel?: Partial<ReliableOptions>;
  /** Where each session's packet numbers start: 0 on the wire; a test may start near the end (2^32 - 1). */
  readonly firstPacketNumber?: number;
}
