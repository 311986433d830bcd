/** `udpchat relay`: runs the relay until SIGINT/SIGTERM, then announces the shutdown and exits 0. */

import { DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_PORT, DEFAULT_SWEEP_INTERVAL_MS } from '../protocol/limits.ts';
import { formatTrace } from '../protocol/trace-format.ts';
import type { RelayEvent } from '../relay/output.ts';
import { RelayServer } from '../server/relay-server.ts';
import { HELP_TEXT } from './help.ts';
import { parseFlags, stringFlag } from './parse-flags.ts';
import { parsePort, parseSeconds } from './usage-error.ts';

const FLAGS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'idle-timeout': { type: 'string' },
  'sweep-interval': { type: 'string' },
  trace: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A hard stop in case the goodbye cannot leave (the issue allows 2 s in all). */
const EXIT_DEADLINE_MS = 1_800;

export async function runRelay(args: string[]): Promise<number> {
  const flags = parseFlags(args, FLAGS, 0);
  if (flags.values.help === true) {
    process.stdout.write(HELP_TEXT);
    return 0;
  }
  const server = await RelayServer.start({
    host: stringFlag(flags, 'host', '0.0.0.0'),
    port: parsePort(stringFlag(flags, 'port', String(DEFAULT_PORT)), '--port'),
    idleTimeoutMs: optionalSeconds(flags.values['idle-timeout'], '--idle-timeout') ?? DEFAULT_IDLE_TIMEOUT_MS,
    sweepIntervalMs:
      optionalSeconds(flags.values['sweep-interval'], '--sweep-interval') ?? DEFAULT_SWEEP_INTERVAL_MS,
    ...(flags.values.trace === true
      ? {
          trace: (direction, peer, bytes) => process.stderr.write(`${formatTrace(direction, peer, bytes)}\n`),
        }
      : {}),
    onEvent: logEvent,
  });
  process.stdout.write(`relay listening on udp/${server.address.port}\n`);
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      setTimeout(() => process.exit(0), EXIT_DEADLINE_MS).unref();
      server.stop().then(
        () => resolve(0),
        () => resolve(0),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function optionalSeconds(value: string | boolean | undefined, flag: string): number | undefined {
  return typeof value === 'string' ? parseSeconds(value, flag) : undefined;
}

/** Joins and departures, one line each; message bodies are never logged. */
function logEvent(event: RelayEvent): void {
  if (event.type === 'joined')
    process.stdout.write(`${event.nick} joined from ${event.address.host}:${event.address.port}\n`);
  else if (event.type === 'departed') process.stdout.write(`${event.nick} ${event.reason}\n`);
}
