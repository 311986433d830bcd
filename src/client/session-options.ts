/**
 * ClientSession's options, their defaults (protocol/limits.ts) and their checks, and the checks on what a
 * user may send: every refusal here happens before a datagram exists.
 */
import { codePointLength } from '../protocol/codec.ts';
import {
  DEFAULT_PING_INTERVAL_MS,
  DEFAULT_SILENCE_WARNING_MS,
  JOIN_ATTEMPTS,
  JOIN_RETRY_MS,
  MAX_LINE_CHARS,
  PING_JITTER_FRACTION,
} from '../protocol/limits.ts';
import type { RandomSource } from '../protocol/v2/crypto.ts';
import type { SayError } from './events.ts';
import { type ReconnectOptions, reconnectSettings } from './reconnect.ts';
import type { RoomLineSealer } from './room-sealer.ts';

export interface ClientSessionOptions {
  readonly nick: string;
  /** Keep-alive period; the seed pings every 10 s so the relay's 30 s idle timer never fires. */
  readonly pingIntervalMs?: number;
  /** Each ping interval is stretched or shrunk by up to this fraction, so clients do not ping in lock-step. */
  readonly pingJitterFraction?: number;
  /** How long the relay may say nothing before a `silent` event. */
  readonly silenceWarningMs?: number;
  readonly joinRetryMs?: number;
  /** How many /join datagrams are sent in all before giving up (or, with `reconnect`, backing off). */
  readonly joinAttempts?: number;
  /**
   * A number in [0, 1) for the ping jitter. Required, never Math.random: the binding injects the system's
   * (ChatClient), a test or a simulation a seeded one, so a run replays from its seed.
   */
  readonly random: () => number;
  /** Never give up: re-join a lost relay with back-off, then our rooms. Without it, the seed's behaviour. */
  readonly reconnect?: ReconnectOptions;
  /**
   * Random bytes for the nonce of each end-to-end room line (docs/PROTOCOL-v2.md 13.3); without it the
   * session cannot seal. ChatClient injects the system's CSPRNG.
   */
  readonly randomBytes?: RandomSource;
  /** End-to-end room keys (client/room-keyring.ts); without it every line goes as typed. */
  readonly roomKeys?: RoomLineSealer;
}

/** The options with every default filled in and every value checked. */
export interface SessionSettings {
  readonly pingIntervalMs: number;
  readonly pingJitterFraction: number;
  readonly silenceWarningMs: number;
  readonly joinRetryMs: number;
  readonly joinAttempts: number;
  readonly random: () => number;
  readonly reconnect: Required<ReconnectOptions> | null;
  readonly randomBytes: RandomSource | null;
}

/** Why a nick cannot be sent in a /join at all, or null. The relay judges everything else about it. */
export function joinNickProblem(nick: string): string | null {
  // A line break would split the /join datagram into a /join and a chat line (v1 splits on `\n`).
  if (/[\r\n]/.test(nick)) return 'a nickname cannot contain a line break';
  return null;
}

/** Throws a RangeError naming the first bad option. */
export function sessionSettings(options: ClientSessionOptions): SessionSettings {
  const problem = joinNickProblem(options.nick);
  if (problem !== null) throw new RangeError(problem);
  const jitter = options.pingJitterFraction ?? PING_JITTER_FRACTION;
  if (!(jitter >= 0 && jitter < 1))
    throw new RangeError(`pingJitterFraction must be in [0, 1), got ${jitter}`);
  return {
    pingIntervalMs: positive('pingIntervalMs', options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS),
    pingJitterFraction: jitter,
    silenceWarningMs: positive('silenceWarningMs', options.silenceWarningMs ?? DEFAULT_SILENCE_WARNING_MS),
    joinRetryMs: positive('joinRetryMs', options.joinRetryMs ?? JOIN_RETRY_MS),
    joinAttempts: Math.floor(positive('joinAttempts', options.joinAttempts ?? JOIN_ATTEMPTS)),
    random: options.random,
    reconnect: options.reconnect === undefined ? null : reconnectSettings(options.reconnect),
    randomBytes: options.randomBytes ?? null,
  };
}

/** Why a typed line cannot be sent as it is, or null. Refused lines are never truncated. */
export function lineProblem(text: string): SayError | null {
  if (text.length === 0) return { code: 'empty', message: 'nothing to send' };
  if (/[\r\n]/.test(text)) return { code: 'line-break', message: 'a line cannot contain a line break' };
  const chars = codePointLength(text);
  if (chars > MAX_LINE_CHARS) {
    const message = `line not sent: ${chars} characters (max ${MAX_LINE_CHARS})`;
    return { code: 'too-long', message, chars, max: MAX_LINE_CHARS };
  }
  return null;
}

function positive(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value))
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}
