/**
 * The idle timeout and keep-alive an ACCEPT advertises (docs/PROTOCOL-v2.md, "Keep-alive and idle
 * timeout"), both whole milliseconds in u32 fields, so a fractional `--idle-timeout` is kept to the
 * millisecond instead of being rounded to whole seconds (wire version 2 advertised 10 s for a 2 s timeout).
 * The keep-alive is at most a third of the idle timeout (the seed's advice: one lost ping never evicts) and
 * at most 10 s. A timeout the fields cannot carry is refused when the relay starts, never clamped.
 */
import {
  KEEPALIVE_FRACTION,
  MAX_ADVERTISED_MS,
  MAX_KEEPALIVE_MS,
  MIN_IDLE_TIMEOUT_MS,
} from './protected-limits.ts';

export interface AdvertisedTimers {
  readonly idleTimeoutMs: number;
  readonly keepAliveMs: number;
}

/**
 * What a relay evicting after `idleTimeoutMs` of silence advertises. It uses the same whole-millisecond
 * value itself, so the two sides agree. Throws RangeError (the CLI's start-up refusal) outside 3 ms to
 * 2^32 - 1 ms.
 */
export function advertisedTimers(idleTimeoutMs: number, keepAliveMs?: number): AdvertisedTimers {
  const idle = Math.floor(idleTimeoutMs);
  if (!Number.isFinite(idleTimeoutMs) || idle < MIN_IDLE_TIMEOUT_MS || idle > MAX_ADVERTISED_MS) {
    throw new RangeError(
      `an idle timeout must be ${MIN_IDLE_TIMEOUT_MS} ms to ${MAX_ADVERTISED_MS} ms (it travels as u32 milliseconds)`,
    );
  }
  const third = Math.floor(idle / KEEPALIVE_FRACTION);
  if (keepAliveMs === undefined)
    return { idleTimeoutMs: idle, keepAliveMs: Math.min(MAX_KEEPALIVE_MS, third) };
  const asked = Math.floor(keepAliveMs);
  if (!Number.isFinite(keepAliveMs) || asked < 1 || asked > third) {
    throw new RangeError(
      `a keep-alive must be 1 ms to a third of the idle timeout (${third} ms), so one lost ping never evicts`,
    );
  }
  return { idleTimeoutMs: idle, keepAliveMs: asked };
}

/** Client side: the ACCEPT's keep-alive, but never more than a third of its idle timeout, nor below 1 ms. */
export function clientKeepAliveMs(timers: AdvertisedTimers): number {
  return Math.max(1, Math.min(timers.keepAliveMs, Math.floor(timers.idleTimeoutMs / KEEPALIVE_FRACTION)));
}
