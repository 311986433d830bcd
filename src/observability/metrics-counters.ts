/**
 * Plain integer counts of the relay core's events, bumped once per event on the hot path and read by the
 * Prometheus collectors only at scrape time: no prom-client call per datagram. Every known reason starts
 * at 0 so that a dashboard sees the series before the first refusal happens.
 */
import type { DepartureReason, IgnoreReason, RefusalReason, RelayEvent } from '../relay/output.ts';
import { TopTalkers } from './metrics-top-talkers.ts';

export const REFUSAL_REASONS = [
  'not-joined',
  'nick-in-use',
  'nick-invalid',
  'already-joined',
  'line-too-long',
  'invalid-utf8',
  'datagram-too-large',
  'too-many-lines',
  'nothing-printable',
  'unknown-command',
  'usage',
  'no-such-nick',
  'no-such-room',
  'not-in-room',
  'room-invalid',
  'throttled',
  'too-many-from-address',
  'rate-limited',
  'auth-failed',
  'not-operator',
  'banned',
  'invite-only',
  'no-ticket',
  'resume-refused',
] as const satisfies readonly RefusalReason[];

/** Throttled lines have their own counter (`udpchat_throttled_lines_total`), so they are not listed here. */
export const IGNORE_REASONS = [
  'own-address',
  'unreplyable-source',
  'reply-limited',
  'relay-output',
] as const satisfies readonly IgnoreReason[];

export const DEPARTURE_REASONS = [
  'left',
  'timed out',
  'killed',
] as const satisfies readonly DepartureReason[];

// A reason added to the core but not to the lists above fails the type check here, not silently at run time.
type Unlisted<All, Listed> = Exclude<All, Listed> extends never ? true : Exclude<All, Listed>;
const refusalsComplete: Unlisted<RefusalReason, (typeof REFUSAL_REASONS)[number]> = true;
const ignoresComplete: Unlisted<IgnoreReason, (typeof IGNORE_REASONS)[number] | 'throttled'> = true;
const departuresComplete: Unlisted<DepartureReason, (typeof DEPARTURE_REASONS)[number]> = true;
void [refusalsComplete, ignoresComplete, departuresComplete];

export class RelayCounters {
  joins = 0;
  linesRelayed = 0;
  /** Copies of relayed lines sent: a line to a room of 10 counts 9. */
  deliveries = 0;
  throttledLines = 0;
  readonly refusals: Map<string, number> = zeroes(REFUSAL_REASONS);
  readonly ignored: Map<string, number> = zeroes(IGNORE_REASONS);
  readonly departures: Map<string, number> = zeroes(DEPARTURE_REASONS);
  readonly talkers: TopTalkers;

  constructor(startedAt: number) {
    this.talkers = new TopTalkers(startedAt);
  }

  /** Idle evictions: the seed's "timed out". */
  get evictions(): number {
    return this.departures.get('timed out') ?? 0;
  }

  record(event: RelayEvent): void {
    switch (event.type) {
      case 'relayed':
        this.linesRelayed++;
        this.deliveries += event.recipients;
        this.talkers.add(event.nick);
        return;
      case 'joined':
        this.joins++;
        return;
      case 'departed':
        bump(this.departures, event.reason);
        return;
      case 'refused':
        bump(this.refusals, event.reason);
        return;
      case 'ignored':
        if (event.reason === 'throttled') this.throttledLines++;
        else bump(this.ignored, event.reason);
        return;
    }
  }
}

function zeroes(keys: readonly string[]): Map<string, number> {
  return new Map(keys.map((key) => [key, 0]));
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
