/** The relay core's settings, each with the default that `udpchat relay` documents. */
import type { Address } from '../protocol/address.ts';
import * as limits from '../protocol/limits.ts';
import type { RandomSource } from '../protocol/v2/crypto.ts';
import type { AccountDirectory } from './accounts.ts';
import { DEFAULT_HISTORY_LINES, type RelayStore } from './store.ts';

export type KeepaliveMode = 'client' | 'server';

export interface RelaySettings {
  readonly idleTimeoutMs: number;
  readonly sweepIntervalMs: number;
  /**
   * True for the relay's own address(es). A datagram forged with the relay's own address as its source
   * must never be answered: the answer would come back to the relay and could loop.
   */
  readonly isOwnAddress: (address: Address) => boolean;
  /** 'client' (the seed: clients ping, silence evicts) or 'server' (the relay pings silent clients). */
  readonly keepalive: KeepaliveMode;
  readonly keepaliveIntervalMs: number;
  readonly keepaliveMisses: number;
  /** How long the relay waits for a /pong before it pings again (or, after the last miss, evicts). */
  readonly keepalivePongTimeoutMs: number;
  /** Flood control; a rate of 0 turns it off. */
  readonly lineBurst: number;
  readonly lineRate: number;
  /** Clients per source host; 0 turns the cap off. */
  readonly maxPerAddress: number;
  readonly joinBurst: number;
  readonly joinRate: number;
  readonly nickBurst: number;
  readonly nickRate: number;
  /** Registered accounts (`--accounts FILE`), or null when nicknames are first come, first served. */
  readonly accounts: AccountDirectory | null;
  /** Refuse nicknames that have no account (`--registered-only`). */
  readonly registeredOnly: boolean;
  /**
   * Where history (and, with `keepRooms`, rooms' kept state) goes; null keeps no history at all. The
   * binding hands one over (memory by default, SQLite with --db); accounts come from it unless given.
   */
  readonly store: RelayStore | null;
  /** Save and restore rooms' topic, modes, invitations, bans and operators (--db); else they die empty. */
  readonly keepRooms: boolean;
  /** Keep private lines (/msg) in the store too (`--keep-private`). */
  readonly keepPrivate: boolean;
  /** Lines of history a joiner gets (`--history-on-join`): v1 clients, and v2 clients (see peer.ts). */
  readonly historyOnJoinV1: number;
  readonly historyOnJoinV2: number;
  /**
   * Server time for line stamps, Unix ms: the binding's wall clock (the core's `now` is monotonic and
   * means nothing across a restart). Null stamps lines with `now`, for tests on a fake clock.
   */
  readonly wallClock: (() => number) | null;
  /**
   * This relay's node id in a cluster (`--cluster`): lines, presence, nick claims and private lines to
   * other relays' nicks go through the bus (cluster/). Null for a relay on its own, which never asks it.
   */
  readonly clusterNode: string | null;
  /**
   * The cluster's shared key (`ClusterBus.sharedKey()`, the same 32 bytes on every relay of a cluster),
   * from which session resumption tickets are sealed and verified, so a client's resumption on another
   * relay can be proven and a stranger cannot forge one. Null for a relay on its own. Never logged.
   */
  readonly resumptionKey: Uint8Array | null;
  /** Randomness for ticket nonces and resumption ids (the binding's CSPRNG); null issues no tickets. */
  readonly random: RandomSource | null;
}

export type RelayOptions = Partial<RelaySettings>;

export function resolveSettings(options: RelayOptions): RelaySettings {
  return {
    idleTimeoutMs: options.idleTimeoutMs ?? limits.DEFAULT_IDLE_TIMEOUT_MS,
    sweepIntervalMs: options.sweepIntervalMs ?? limits.DEFAULT_SWEEP_INTERVAL_MS,
    isOwnAddress: options.isOwnAddress ?? (() => false),
    keepalive: options.keepalive ?? 'client',
    keepaliveIntervalMs: options.keepaliveIntervalMs ?? limits.DEFAULT_KEEPALIVE_INTERVAL_MS,
    keepaliveMisses: options.keepaliveMisses ?? limits.DEFAULT_KEEPALIVE_MISSES,
    keepalivePongTimeoutMs: options.keepalivePongTimeoutMs ?? limits.DEFAULT_KEEPALIVE_PONG_TIMEOUT_MS,
    lineBurst: options.lineBurst ?? limits.DEFAULT_LINE_BURST,
    lineRate: options.lineRate ?? limits.DEFAULT_LINE_RATE,
    maxPerAddress: options.maxPerAddress ?? limits.DEFAULT_MAX_PER_ADDRESS,
    joinBurst: options.joinBurst ?? limits.DEFAULT_JOIN_BURST,
    joinRate: options.joinRate ?? limits.DEFAULT_JOIN_RATE,
    nickBurst: options.nickBurst ?? limits.DEFAULT_NICK_BURST,
    nickRate: options.nickRate ?? limits.DEFAULT_NICK_RATE,
    accounts: options.accounts ?? options.store ?? null,
    registeredOnly: options.registeredOnly ?? false,
    store: options.store ?? null,
    keepRooms: options.keepRooms ?? false,
    keepPrivate: options.keepPrivate ?? false,
    // The seed's chat.py must see exactly the seed's lines: no history for v1 unless asked for.
    historyOnJoinV1: options.historyOnJoinV1 ?? 0,
    historyOnJoinV2: options.historyOnJoinV2 ?? DEFAULT_HISTORY_LINES,
    wallClock: options.wallClock ?? null,
    clusterNode: options.clusterNode ?? null,
    resumptionKey: options.resumptionKey ?? null,
    random: options.random ?? null,
  };
}
