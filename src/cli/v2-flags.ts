/**
 * Protocol v2's timers and windows as flags, for `udpchat relay` and `udpchat chat` alike: the reliable
 * channel's (retransmission bounds, ack delay, windows, give-up), then each side's own (the relay's idle
 * timeout, keep-alive and session cap; the client's keep-alive, idle probe, stall time and handshake
 * timers). Every default is the library's constant (protocol/v2/limits.ts), so the help shows what v2
 * does untouched; a combination the channel cannot work with is refused here, naming the flags.
 */
import type { V2ClientTuning } from '../client/line-carrier.ts';
import * as v2 from '../protocol/v2/limits.ts';
import { STALL_AFTER_MS } from '../session/liveness.ts';
import type { ReliableOptions } from '../session/reliable/options.ts';
import { valueFlag } from './flag-table.ts';
import { UsageError } from './usage-error.ts';
import { count, duration } from './values.ts';

/** As every duration flag of udpchat, a plain number is seconds: write `--v2-ack-delay 25ms`. */
const millis = duration({ bare: 's', zero: false });
const millisOrZero = duration({ bare: 's', zero: true });
const atLeastOne = count({ min: 1 });

export const V2_CHANNEL_FLAGS = {
  'v2-ack-delay': valueFlag(
    millisOrZero,
    'v2: how long a lone in-order line waits for its ack to ride along',
    {
      default: v2.ACK_DELAY_MS,
    },
  ),
  'v2-initial-rto': valueFlag(millis, 'v2: the retransmission timeout before the first RTT sample', {
    default: v2.INITIAL_RTO_MS,
  }),
  'v2-min-rto': valueFlag(millis, 'v2: the lowest retransmission timeout', { default: v2.MIN_RTO_MS }),
  'v2-max-rto': valueFlag(millis, 'v2: the highest retransmission timeout, back-off included', {
    default: v2.MAX_RTO_MS,
  }),
  'v2-max-retransmissions': valueFlag(count(), 'v2: give a line up after this many re-sends', {
    default: v2.MAX_RETRANSMISSIONS,
  }),
  'v2-fast-retransmit': valueFlag(atLeastOne, 'v2: re-send a line once this many later ones are acked', {
    default: v2.FAST_RETRANSMIT_THRESHOLD,
  }),
  'v2-max-in-flight': valueFlag(atLeastOne, 'v2: the send window, lines sent and not yet acknowledged', {
    default: v2.MAX_IN_FLIGHT,
  }),
  'v2-send-queue': valueFlag(atLeastOne, 'v2: lines accepted and waiting for the send window', {
    default: v2.MAX_SEND_QUEUE,
  }),
  'v2-receive-window': valueFlag(atLeastOne, "v2: the receive window, the peer's lines held out of order", {
    default: v2.RECEIVE_WINDOW,
  }),
} as const;

export const V2_RELAY_FLAGS = {
  ...V2_CHANNEL_FLAGS,
  'v2-idle-timeout': valueFlag(millis, 'v2: drop a session not heard from for this long', {
    defaultText: 'the --idle-timeout',
  }),
  'v2-keepalive': valueFlag(
    millis,
    'v2: the keep-alive the ACCEPT asks of clients (at most a third of the v2 idle timeout)',
    { defaultText: 'the idle timeout / 3, at most 10s' },
  ),
  'v2-max-sessions': valueFlag(atLeastOne, 'v2: most sessions at once', { default: v2.DEFAULT_MAX_SESSIONS }),
  'v2-challenge-retry': valueFlag(
    millis,
    "v2: path validation: re-send a moved session's CHALLENGE after this long unanswered",
    { default: v2.CHALLENGE_RETRY_MS },
  ),
} as const;

export const V2_CHAT_FLAGS = {
  ...V2_CHANNEL_FLAGS,
  'v2-keepalive': valueFlag(millis, 'v2: send a PING after this long without sending anything', {
    default: v2.CLIENT_PING_INTERVAL_MS,
  }),
  'v2-idle-probe': valueFlag(millis, 'v2: PING after this long without hearing from the relay', {
    defaultText: '750ms in the full-screen client, off otherwise',
  }),
  'v2-stall-after': valueFlag(millis, 'v2: the relay is taken as gone when it acks nothing for this long', {
    default: STALL_AFTER_MS,
  }),
  'v2-probe-interval': valueFlag(millis, 'v2: between HELLO probes while looking for a v2 relay', {
    default: v2.PROBE_INTERVAL_MS,
  }),
  'v2-probes': valueFlag(atLeastOne, "v2: HELLO probes before falling back to the seed's v1", {
    default: v2.PROBE_COUNT,
  }),
  'v2-validate-retry': valueFlag(
    millis,
    "v2: between HELLOs carrying the relay's address-validation cookie",
    {
      default: v2.VALIDATE_RETRY_MS,
    },
  ),
  'v2-validate-attempts': valueFlag(atLeastOne, 'v2: HELLOs with the cookie before starting over', {
    default: v2.VALIDATE_COUNT,
  }),
} as const;

type ChannelFlagValues = { readonly [K in keyof typeof V2_CHANNEL_FLAGS]: number };

/** The reliable channel's settings, refused with the flags' names when they contradict each other. */
export function channelOptionsFromFlags(flags: ChannelFlagValues): Partial<ReliableOptions> {
  const min = flags['v2-min-rto'];
  const initial = flags['v2-initial-rto'];
  const max = flags['v2-max-rto'];
  if (min > initial) throw conflict('--v2-min-rto', min, 'above --v2-initial-rto', initial);
  if (initial > max) throw conflict('--v2-initial-rto', initial, 'above --v2-max-rto', max);
  return {
    ackDelayMs: flags['v2-ack-delay'],
    initialRtoMs: initial,
    minRtoMs: min,
    maxRtoMs: max,
    maxRetransmissions: flags['v2-max-retransmissions'],
    fastRetransmitThreshold: flags['v2-fast-retransmit'],
    maxInFlight: flags['v2-max-in-flight'],
    maxSendQueue: flags['v2-send-queue'],
    receiveWindow: flags['v2-receive-window'],
  };
}

/** What the relay's v2 endpoint takes from its flags (undefined idle timeout: the relay's own). */
export interface V2RelayTuning {
  readonly channel: Partial<ReliableOptions>;
  readonly idleTimeoutMs: number | undefined;
  /** Undefined: the endpoint derives it from the idle timeout (accept-timers.ts). */
  readonly keepAliveMs: number | undefined;
  readonly maxSessions: number;
  readonly challengeRetryMs: number;
}

export function relayTuningFromFlags(
  flags: ChannelFlagValues & {
    readonly 'v2-idle-timeout': number | undefined;
    readonly 'v2-keepalive': number | undefined;
    readonly 'v2-max-sessions': number;
    readonly 'v2-challenge-retry': number;
  },
): V2RelayTuning {
  return {
    channel: channelOptionsFromFlags(flags),
    idleTimeoutMs: flags['v2-idle-timeout'],
    keepAliveMs: flags['v2-keepalive'],
    maxSessions: flags['v2-max-sessions'],
    challengeRetryMs: flags['v2-challenge-retry'],
  };
}

export function chatTuningFromFlags(
  flags: ChannelFlagValues & {
    readonly 'v2-keepalive': number;
    readonly 'v2-idle-probe': number | undefined;
    readonly 'v2-stall-after': number;
    readonly 'v2-probe-interval': number;
    readonly 'v2-probes': number;
    readonly 'v2-validate-retry': number;
    readonly 'v2-validate-attempts': number;
  },
  defaultIdleProbeMs: number | null,
): V2ClientTuning {
  return {
    channel: channelOptionsFromFlags(flags),
    keepAliveMs: flags['v2-keepalive'],
    idleProbeMs: flags['v2-idle-probe'] ?? defaultIdleProbeMs,
    stallAfterMs: flags['v2-stall-after'],
    probeIntervalMs: flags['v2-probe-interval'],
    probeCount: flags['v2-probes'],
    validateRetryMs: flags['v2-validate-retry'],
    validateCount: flags['v2-validate-attempts'],
  };
}

function conflict(flag: string, value: number, relation: string, other: number): UsageError {
  return new UsageError('conflict', `${flag} (${value} ms) must not be ${relation} (${other} ms)`);
}
