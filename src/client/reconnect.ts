/**
 * Reconnecting to a relay that stopped answering: how long to wait between /join attempts, and the lines
 * that put us back where we were once it welcomes us again. Pure: the session owns the clock.
 */

export interface ReconnectOptions {
  /** The wait before the first repeated /join; doubles after each attempt. */
  readonly baseMs?: number;
  /** The doubling stops here (before jitter). */
  readonly maxMs?: number;
  /** Each wait is scaled by a random factor in [1 - jitter, 1 + jitter), so clients do not retry in step. */
  readonly jitterFraction?: number;
  /** A ping with nothing heard for this long is overdue and is repeated. */
  readonly answerTimeoutMs?: number;
  /** After this many overdue pings in a row the relay is taken as lost. */
  readonly probes?: number;
}

/** 1 s doubling to 30 s with ±20 %: the first retries are quick, a long outage costs a datagram per ~30 s. */
export const RECONNECT_DEFAULTS: Required<ReconnectOptions> = {
  baseMs: 1_000,
  maxMs: 30_000,
  jitterFraction: 0.2,
  // The relay answers a /ping at once: 2 s of nothing is a loss or an outage, three in a row an outage.
  answerTimeoutMs: 2_000,
  probes: 3,
};

/**
 * Lines sent at once after a re-welcome; the rest follow one per REJOIN_SPACING_MS. The relay's flood
 * control allows a burst of 10 lines then 4 per second (limits.ts), and a client may be in 20 rooms.
 */
export const REJOIN_BURST = 8;
export const REJOIN_SPACING_MS = 300;

export function reconnectSettings(options: ReconnectOptions): Required<ReconnectOptions> {
  const settings = { ...RECONNECT_DEFAULTS, ...options };
  for (const name of ['baseMs', 'maxMs', 'answerTimeoutMs', 'probes'] as const) {
    const value = settings[name];
    if (!(value > 0) || !Number.isFinite(value))
      throw new RangeError(`reconnect.${name} must be a positive number, got ${value}`);
  }
  if (settings.maxMs < settings.baseMs)
    throw new RangeError(`reconnect.maxMs (${settings.maxMs}) must be at least baseMs (${settings.baseMs})`);
  if (!(settings.jitterFraction >= 0 && settings.jitterFraction < 1))
    throw new RangeError(`reconnect.jitterFraction must be in [0, 1), got ${settings.jitterFraction}`);
  return settings;
}

/** The wait after attempt number `attempt` (1 for the first): base × 2^(attempt-1), capped, then jittered. */
export function backoffDelay(
  settings: Required<ReconnectOptions>,
  attempt: number,
  random: () => number,
): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const capped = Math.min(settings.maxMs, settings.baseMs * 2 ** exponent);
  return capped * (1 + settings.jitterFraction * (2 * random() - 1));
}

/** The lines that take us back into `rooms` (the lobby is automatic) and back to talking in `current`. */
export function rejoinLines(rooms: readonly string[], current: string | null, lobby: string): string[] {
  const lines = rooms.filter((room) => room !== lobby).map((room) => `/join ${room}`);
  // Each /join #room makes that room current; the one we talked in last is restored at the end.
  const lastJoined = lines.length === 0 ? lobby : rooms.filter((room) => room !== lobby).at(-1);
  if (current !== null && current !== lastJoined) lines.push(`/switch ${current}`);
  return lines;
}

/**
 * The reconnecting part of a session: counts attempts, spaces them, and queues the rejoin lines so a
 * client in many rooms stays under the relay's flood control.
 */
export class Reconnector {
  /** Attempts since the relay was taken as lost. */
  attempt = 0;
  private queue: string[] = [];
  private nextLineAt = 0;

  constructor(
    private readonly settings: Required<ReconnectOptions>,
    private readonly random: () => number,
  ) {}

  get baseMs(): number {
    return this.settings.baseMs;
  }

  /** Starts over; returns the wait before the first attempt (0: at once). */
  begin(waitFirst: boolean): number {
    this.attempt = 0;
    this.queue = [];
    return waitFirst ? backoffDelay(this.settings, 1, this.random) : 0;
  }

  /** Counts one more attempt; returns the wait before the next. */
  nextAttempt(): number {
    this.attempt += 1;
    return backoffDelay(this.settings, this.attempt, this.random);
  }

  /**
   * Welcomed again: the lines that restore `rooms` (then `then`, which need the rooms: a gap fill's
   * requests), of which the first burst is returned at once.
   */
  rejoin(
    now: number,
    rooms: readonly string[],
    current: string | null,
    lobby: string,
    then: readonly string[] = [],
  ): string[] {
    this.queue = [...rejoinLines(rooms, current, lobby), ...then];
    return this.take(now, REJOIN_BURST);
  }

  /** More lines after those queued, at the same pace (the first at once when none is queued). */
  append(now: number, lines: readonly string[]): void {
    if (this.queue.length === 0) this.nextLineAt = now;
    this.queue.push(...lines);
  }

  /** When the next queued line is due, or null when none is queued. */
  nextLineDue(): number | null {
    return this.queue.length > 0 ? this.nextLineAt : null;
  }

  take(now: number, count = 1): string[] {
    this.nextLineAt = now + REJOIN_SPACING_MS;
    return this.queue.splice(0, count);
  }
}
