/** `udpchat compare` flags and the run's settings they make. */
import { randomInt } from 'node:crypto';
import { MAX_SEED } from '../chaos/prng.ts';
import { COMPARE_TRANSPORTS, type CompareSettings, type CompareTransport } from '../compare/settings.ts';
import type { ParsedCommandLine } from './flag-parser.ts';
import { switchFlag, valueFlag } from './flag-table.ts';
import { choice, count, duration, listOf, percentage, rate, text } from './values.ts';

const milliseconds = duration({ bare: 'ms', zero: true, maxMs: 10_000 });

export const COMPARE_FLAGS = {
  clients: valueFlag(count({ min: 2, max: 200 }), 'clients in the room, each sending and receiving', {
    default: 4,
  }),
  lines: valueFlag(count({ min: 1, max: 100_000 }), 'lines each client sends', { default: 100 }),
  rate: valueFlag(rate({ positive: true }), 'lines per second each client sends', { default: 20 }),
  loss: valueFlag(percentage, 'packets (netns) or datagrams and stalls (chaos) dropped', { default: 0.05 }),
  delay: valueFlag(milliseconds, 'chaos only: one-way delay', { default: 10 }),
  jitter: valueFlag(milliseconds, 'chaos only: +/- this much around --delay', { default: 5 }),
  'fault-model': valueFlag(
    choice(['auto', 'netns', 'chaos']),
    'netns: real packet loss in a network namespace (root, ip, iptables); chaos: the chaos proxies; ' +
      'auto: netns where it can run',
    { default: 'auto' },
  ),
  transports: valueFlag(listOf(choice([...COMPARE_TRANSPORTS])), 'which transports, in this order', {
    defaultText: COMPARE_TRANSPORTS.join(','),
  }),
  'idle-clients': valueFlag(count({ max: 10_000 }), 'idle clients per transport for memory per client', {
    default: 100,
  }),
  'dead-after': valueFlag(
    duration({ bare: 's', zero: false, maxMs: 120_000 }),
    "the relay's idle timeout: how long a silent client stays",
    { default: 5_000 },
  ),
  out: valueFlag(text('FILE', { empty: false }), 'write the SVG chart here', { default: 'compare.svg' }),
  json: switchFlag('print the results as JSON instead of the table'),
  seed: valueFlag(count({ max: MAX_SEED }), "the chaos proxies' fault decisions", {
    defaultText: 'random',
  }),
  'inside-namespace': switchFlag('internal: run in the namespace this command already made'),
} as const;

export type CompareCommandLine = ParsedCommandLine<typeof COMPARE_FLAGS>;

export function compareSettingsFromFlags({ flags }: CompareCommandLine): CompareSettings {
  return {
    transports: (flags.transports ?? [...COMPARE_TRANSPORTS]) as CompareTransport[],
    clients: flags.clients,
    lines: flags.lines,
    rate: flags.rate,
    loss: flags.loss,
    delayMs: flags.delay,
    jitterMs: flags.jitter,
    idleClients: flags['idle-clients'],
    deadAfterMs: flags['dead-after'],
    seed: flags.seed ?? randomInt(0, MAX_SEED),
  };
}
