/** LanPeer's options and their checks: a bad option is a wiring bug, so it throws a RangeError at once. */
import type { GroupKey } from '../protocol/lan/group-key.ts';
import { checkLanNick } from '../protocol/lan/lan-nick.ts';
import { MAX_SEQUENCE } from '../protocol/lan/limits.ts';
import type { RandomSource } from '../protocol/v2/crypto.ts';

export interface LanPeerOptions {
  /** Our nick; the relay's rules (checkNick) and no `#` (lan-nick.ts). */
  readonly nick: string;
  /**
   * When we took the nick, in ms since 1970 (the binding reads Date.now() once). It orders nick
   * collisions: the earlier claim keeps the nick. Time for everything else comes in as `now`.
   */
  readonly claimedAt: number;
  /** The group key (--group-key), or null to send and accept datagrams in clear. */
  readonly key: GroupKey | null;
  /** Bytes for the sender id and the announce jitter; bindings pass systemRandom. */
  readonly random: RandomSource;
  /** The first sequence number (0); tests start near 2^32 to see the sender id change. */
  readonly firstSequence?: number;
}

export interface LanPeerSettings {
  readonly nick: string;
  readonly nickKey: string;
  readonly claimedAt: number;
  readonly key: GroupKey | null;
  readonly random: RandomSource;
  readonly firstSequence: number;
}

export function lanPeerSettings(options: LanPeerOptions): LanPeerSettings {
  const nick = checkLanNick(options.nick);
  if (!nick.ok) throw new RangeError(`invalid nickname: ${nick.reason}`);
  if (!Number.isSafeInteger(options.claimedAt) || options.claimedAt < 0)
    throw new RangeError(`claimedAt must be a time in ms since 1970, got ${options.claimedAt}`);
  const firstSequence = options.firstSequence ?? 0;
  if (!Number.isInteger(firstSequence) || firstSequence < 0 || firstSequence > MAX_SEQUENCE)
    throw new RangeError(`firstSequence must be a u32, got ${firstSequence}`);
  return {
    nick: nick.nick,
    nickKey: nick.key,
    claimedAt: options.claimedAt,
    key: options.key,
    random: options.random,
    firstSequence,
  };
}
