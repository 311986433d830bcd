/** The v2 relay endpoint's settings; the binding fills them from the relay's flags. */
import type { RandomSource } from '../../protocol/v2/crypto.ts';
import type { ReliableOptions } from '../reliable/options.ts';

export interface V2RelayOptions {
  readonly random: RandomSource;
  readonly maxSessions: number;
  /** Sessions per source host; 0 means no cap. */
  readonly maxPerHost: number;
  /** A session not heard for this long is dropped (the client's keep-alive is every 10 s). */
  readonly idleTimeoutMs: number;
  readonly keepAliveS: number;
  readonly channel?: Partial<ReliableOptions>;
}
