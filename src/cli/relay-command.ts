/** `udpchat relay`: runs the relay until SIGINT/SIGTERM, then announces the shutdown and exits 0. */

import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { type HttpAddress, httpUrl } from '../observability/http-address.ts';
import { createLogger, type Logger } from '../observability/logger.ts';
import { eventLogger } from '../observability/logger-events.ts';
import type { MetricsEndpoint } from '../observability/metrics-endpoint.ts';
import { DEFAULT_PORT } from '../protocol/limits.ts';
import { formatTrace } from '../protocol/trace-format.ts';
import type { RelayEvent } from '../relay/output.ts';
import { RelayServer } from '../relay-host/relay-server.ts';
import { type AccountTable, loadAccountDirectory } from '../store/account-file.ts';
import { HELP_TEXT } from './help.ts';
import { type ParsedFlags, parseFlags, stringFlag } from './parse-flags.ts';
import {
  coreOptionsFromFlags,
  type ObservabilitySettings,
  observabilityFromFlags,
  RELAY_FLAGS,
} from './relay-flags.ts';
import { parsePort, UsageError } from './usage-error.ts';

/** A hard stop in case the goodbye cannot leave (the issue allows 2 s in all). */
const EXIT_DEADLINE_MS = 1_800;

export async function runRelay(args: string[]): Promise<number> {
  const flags = parseFlags(args, RELAY_FLAGS, 0);
  if (flags.values.help === true) {
    process.stdout.write(HELP_TEXT);
    return 0;
  }
  tuneHeap(flags.values['lean-memory'] === true);
  const settings = observabilityFromFlags(flags, process.stdout.isTTY === true);
  const logger = createLogger({
    level: settings.logLevel,
    format: settings.logFormat,
    colour: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
  });
  // Read before binding: a bad accounts file stops the relay before any client can reach it.
  const accounts = await loadAccounts(flags.values.accounts, flags.values['registered-only'] === true);
  const metrics = settings.metrics === undefined ? undefined : await startMetrics(settings.metrics);
  const server = await startServer(flags, settings, accounts, logger, metrics).catch(
    async (error: unknown) => {
      await metrics?.close();
      throw error;
    },
  );
  metrics?.attach(server);
  // Synchronous from the listening line to the signal handlers: a script may signal as soon as it reads it.
  announce(server, metrics, settings, logger);
  return runUntilSignal(server, metrics, logger);
}

function startServer(
  flags: ParsedFlags,
  settings: ObservabilitySettings,
  accounts: AccountTable | undefined,
  logger: Logger,
  metrics: MetricsEndpoint | undefined,
): Promise<RelayServer> {
  const log = eventLogger(logger);
  return RelayServer.start({
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
    recvBufferSize: settings.recvBufferSize,
    sendBufferSize: settings.sendBufferSize,
    sendThreads: settings.sendThreads,
    strict: flags.values.strict === true,
    onEvent:
      metrics === undefined
        ? log
        : (event: RelayEvent) => {
            metrics.record(event);
            log(event);
          },
  });
}

/**
 * V8 settings for what a relay holds: a large table that lives long and a stream of datagrams whose garbage
 * dies at once. Set before any client is served; V8 reads both heap flags whenever it sizes its spaces.
 * - The young generation stays at its first 1 MiB semi-space instead of growing to 16 MiB: datagram garbage
 *   dies young either way, and a grown young generation keeps about 30 MB resident.
 * - The old generation is collected once it has grown by a quarter, rather than V8's usual factor (up
 *   to 4x), so garbage that reaches it (about 100 bytes per datagram, see docs/BENCHMARKS.md) is freed sooner.
 * Measured with 100,000 idle clients: about 35 MB less resident memory; CPU within noise, also in a
 * throughput run. `--lean-memory` adds V8's optimize-for-size mode.
 */
function tuneHeap(lean: boolean): void {
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--heap-growing-percent=25');
  if (lean) setFlagsFromString('--optimize-for-size');
}

/**
 * The metrics endpoint, bound before the relay so a bad address fails before any client is served. Loaded
 * only when asked for, so a relay without --metrics does not load prom-client and node:http.
 */
async function startMetrics(where: HttpAddress): Promise<MetricsEndpoint> {
  const { MetricsEndpoint } = await import('../observability/metrics-endpoint.ts');
  try {
    return await MetricsEndpoint.start(where);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`--metrics: cannot listen on ${httpUrl(where, '')}: ${reason}`);
  }
}

/** The two plain lines scripts wait for come first, in every log format; structured records follow. */
function announce(
  server: RelayServer,
  metrics: MetricsEndpoint | undefined,
  settings: ObservabilitySettings,
  logger: Logger,
): void {
  process.stdout.write(`relay listening on udp/${server.address.port}\n`);
  if (metrics !== undefined) process.stdout.write(`metrics on ${metrics.url}\n`);
  logger.info(
    {
      host: server.address.host,
      port: server.address.port,
      metrics: metrics?.url ?? null,
      rcvbuf: settings.recvBufferSize,
      sndbuf: settings.sendBufferSize,
      sendThreads: server.sendThreads,
    },
    'relay started',
  );
  if (settings.sendThreads > 0 && server.sendThreads === 0)
    logger.warn(
      { asked: settings.sendThreads },
      '--send-threads: the native addon is not built here (see the npm install output); sending on the event loop',
    );
  warnIfKernelCaps(logger, '--rcvbuf', settings.recvBufferSize, '/proc/sys/net/core/rmem_max');
  warnIfKernelCaps(logger, '--sndbuf', settings.sendBufferSize, '/proc/sys/net/core/wmem_max');
}

/**
 * Linux silently caps SO_RCVBUF/SO_SNDBUF at net.core.rmem_max/wmem_max for an unprivileged process, so
 * the relay says so instead of pretending it got what was asked. Elsewhere there is no file and no warning.
 */
function warnIfKernelCaps(logger: Logger, flag: string, requested: number, limitFile: string): void {
  const limit = Number(readLimit(limitFile));
  if (!(limit > 0) || requested <= limit) return;
  logger.warn(
    { flag, requested, granted: limit, sysctl: limitFile.slice('/proc/sys/'.length).replaceAll('/', '.') },
    `${flag} ${requested} is above the kernel's limit; the socket gets ${limit} (raise it with sysctl)`,
  );
}

function readLimit(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function runUntilSignal(
  server: RelayServer,
  metrics: MetricsEndpoint | undefined,
  logger: Logger,
): Promise<number> {
  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      logger.info({ signal }, 'relay stopping');
      setTimeout(() => process.exit(0), EXIT_DEADLINE_MS).unref();
      server
        .stop()
        .then(() => metrics?.close())
        .then(
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
