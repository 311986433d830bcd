/** `udpchat relay`: runs the relay until SIGINT/SIGTERM, then announces the shutdown and exits 0. */

import { DEFAULT_PORT } from '../protocol/limits.ts';
import { formatTrace } from '../protocol/trace-format.ts';
import type { RelayEvent } from '../relay/output.ts';
import { RelayServer } from '../server/relay-server.ts';
import { type AccountTable, loadAccountDirectory } from '../store/account-file.ts';
import { HELP_TEXT } from './help.ts';
import { parseFlags, stringFlag } from './parse-flags.ts';
import { coreOptionsFromFlags, RELAY_FLAGS } from './relay-flags.ts';
import { parsePort, UsageError } from './usage-error.ts';

/** A hard stop in case the goodbye cannot leave (the issue allows 2 s in all). */
const EXIT_DEADLINE_MS = 1_800;

export async function runRelay(args: string[]): Promise<number> {
  const flags = parseFlags(args, RELAY_FLAGS, 0);
  if (flags.values.help === true) {
    process.stdout.write(HELP_TEXT);
    return 0;
  }
  // Read before binding: a bad accounts file stops the relay before any client can reach it.
  const accounts = await loadAccounts(flags.values.accounts, flags.values['registered-only'] === true);
  const server = await RelayServer.start({
    host: stringFlag(flags, 'host', '0.0.0.0'),
    port: parsePort(stringFlag(flags, 'port', String(DEFAULT_PORT)), '--port'),
    ...(flags.values.trace === true
      ? {
          trace: (direction, peer, bytes) => process.stderr.write(`${formatTrace(direction, peer, bytes)}\n`),
        }
      : {}),
    relay: {
      ...coreOptionsFromFlags(flags),
      accounts: accounts ?? null,
      registeredOnly: flags.values['registered-only'] === true,
    },
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

/** `--accounts FILE`; `--registered-only` without it would refuse every nickname, so it is a usage error. */
async function loadAccounts(
  path: string | boolean | undefined,
  registeredOnly: boolean,
): Promise<AccountTable | undefined> {
  if (typeof path === 'string') return loadAccountDirectory(path);
  if (registeredOnly) throw new UsageError('--registered-only needs --accounts FILE');
  return undefined;
}

/** Joins and departures, one line each; message bodies are never logged. */
function logEvent(event: RelayEvent): void {
  if (event.type === 'joined')
    process.stdout.write(`${event.nick} joined from ${event.address.host}:${event.address.port}\n`);
  else if (event.type === 'departed') process.stdout.write(`${event.nick} ${event.reason}\n`);
}
