/** `udpchat relay`: runs the relay until SIGINT/SIGTERM, then announces the shutdown and exits 0. */

import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { redactUrl } from '../cluster/redis/redis-url.ts';
import { type HttpAddress, httpUrl } from '../observability/http-address.ts';
import { createLogger, type Logger } from '../observability/logger.ts';
import { eventLogger } from '../observability/logger-events.ts';
import type { MetricsEndpoint } from '../observability/metrics-endpoint.ts';
import { formatProtectedTrace, formatTrace } from '../protocol/trace-format.ts';
import { advertisedTimers } from '../protocol/v2/accept-timers.ts';
import { fingerprint } from '../protocol/v2/fingerprint.ts';
import type { RelayEvent } from '../relay/output.ts';
import type { RelayStore } from '../relay/store.ts';
import { ClusterLink } from '../relay-host/cluster-link.ts';
import { RelayServer, type RelayServerOptions } from '../relay-host/relay-server.ts';
import { type AccountTable, loadAccountDirectory } from '../store/account-file.ts';
import { systemRandom } from '../transport/system-random.ts';
import { type ClusterSettings, clusterSettings } from './cluster-flags.ts';
import { defineCommand } from './command.ts';
import {
  coreOptionsFromFlags,
  hostSettingsFromFlags,
  RELAY_FLAGS,
  type RelayCommandLine,
  type RelayHostSettings,
  retentionFromFlags,
} from './relay-flags.ts';
import { identityPath, type LoadedIdentity, loadRelayIdentity } from './relay-identity-file.ts';
import { logStoreFailures, type OpenedStore, openRelayStore } from './relay-store.ts';
import { stopOnSignals, whenAborted } from './stop-signal.ts';
import { UsageError } from './usage-error.ts';
import { relayTuningFromFlags } from './v2-flags.ts';

export const relayCommand = defineCommand({
  name: 'relay',
  summary:
    "Run the relay: protocol v1 (the seed's) and v2 (validated, reliable, ordered), flood control, " +
    'registered nicknames, Prometheus metrics.',
  description: `Runs a chat relay on one UDP port until SIGINT or SIGTERM, which sends every client
    "*** server going down ***" and exits 0. It prints "relay listening on udp/<port>" once it is bound
    (then "relay listening on tcp/<port>" with --tcp-port, "web client on <url>" with --web, "metrics
    on <url>" with --metrics, and "relay identity SHA256:..."), then structured log records. Clients over UDP, TCP and the web client share
    one relay: rooms, private messages, presence, moderation and flood control. With --db FILE, accounts,
    rooms and history are kept in an SQLite file and survive a restart; a file it cannot use (another
    relay's, a damaged one, one it may not write) stops it with one line and exit status 1. With
    --cluster redis://HOST:PORT[/DB], relays that share one Redis are one chat network (docs/CLUSTER.md):
    it joins before it binds (waiting, with back-off, while Redis is away), and a refusal (credentials,
    another bus version, its node id in use) stops it with one line and exit status 1.

    v2 clients are served protected v2 (wire version 3): every datagram after the handshake is encrypted
    and authenticated, and the relay proves its identity, an Ed25519 key in --identity FILE (default
    relay-identity.pem beside --db; created with mode 0600 on first start). It prints "relay identity
    SHA256:..." at start: clients pin that fingerprint in known_relays on first contact.`,
  flags: RELAY_FLAGS,
  notes: `Flood control: 0 turns any of --line-burst, --line-rate, --max-per-address, --join-burst,
    --join-rate, --nick-burst and --nick-rate off.

    D is a duration: 250ms, 1.5s, 2m, or a plain number of seconds. R is a number per second, fractions
    allowed. BYTES is a size: 4194304, 512K or 4M.`,
  run: runRelay,
});

async function runRelay(commandLine: RelayCommandLine): Promise<number> {
  const { flags } = commandLine;
  tuneHeap(flags['lean-memory']);
  const settings = hostSettingsFromFlags(commandLine, process.stdout.isTTY === true);
  const v2 = v2Options(commandLine);
  const logger = createLogger({
    level: settings.logLevel,
    format: settings.logFormat,
    colour: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
  });
  // Read before binding: a bad accounts file or database stops the relay before any client can reach it.
  const accounts = await loadAccounts(flags.accounts, flags['registered-only'], flags.db);
  const clusterChoice = clusterSettings(flags, flags.port);
  const opened = await openRelayStore(flags.db, accounts, retentionFromFlags(commandLine));
  logStoreFailures(opened.store, logger);
  const cluster = await openCluster(clusterChoice, logger).catch(async (error: unknown) => {
    await closeStore(opened.store, logger);
    throw error;
  });
  const leaveCluster = async (): Promise<void> => {
    await cluster?.link.bus.close().catch(() => {});
  };
  let identity: LoadedIdentity;
  try {
    identity = loadRelayIdentity(identityPath(flags.identity, flags.db), systemRandom);
  } catch (error) {
    await leaveCluster();
    await closeStore(opened.store, logger);
    throw error;
  }
  const metrics = await startMetricsIfAsked(settings.metrics).catch(async (error: unknown) => {
    await leaveCluster();
    await closeStore(opened.store, logger);
    throw error;
  });
  const server = await startServer(
    commandLine,
    settings,
    v2,
    opened,
    identity,
    logger,
    metrics,
    cluster,
  ).catch(async (error: unknown) => {
    await metrics?.close();
    await leaveCluster();
    await closeStore(opened.store, logger);
    throw error;
  });
  metrics?.attach(server);
  // Synchronous from the listening line to the signal handlers: a script may signal as soon as it reads it.
  announce(server, metrics, settings, identity, logger, clusterChoice);
  const code = await runUntilSignal(server, metrics, logger);
  // After the clients heard the goodbye: the cluster releases this relay's nicks and members at once.
  await leaveCluster();
  return (await closeStore(opened.store, logger)) ? code : 1;
}

interface JoinedCluster {
  readonly link: ClusterLink;
  readonly resumptionKey: Uint8Array;
}

/**
 * Joins the cluster before the socket is bound (a refusal stops the relay before any client reaches
 * it), and waits for the cluster's shared key, retrying with back-off while Redis is away.
 */
async function openCluster(choice: ClusterSettings | null, logger: Logger): Promise<JoinedCluster | null> {
  if (choice === null) return null;
  // Loaded only for --cluster, so a relay on its own does not load the Redis driver.
  const { joinCluster, waitForSharedKey } = await import('./relay-cluster.ts');
  let link: ClusterLink | null = null;
  const bus = await joinCluster(choice, logger, {
    event: (event) => link?.listener.event(event),
    status: (status) => link?.listener.status(status),
    fatal: (failure) => link?.listener.fatal(failure),
  });
  link = new ClusterLink(bus, {
    failed: (action, failure) =>
      logger.warn(
        { node: bus.nodeId, action, code: failure.code, detail: failure.message },
        'cluster change failed',
      ),
  });
  try {
    return { link, resumptionKey: await waitForSharedKey(bus, logger) };
  } catch (error) {
    await bus.close().catch(() => {});
    throw error;
  }
}

function startMetricsIfAsked(where: HttpAddress | undefined): Promise<MetricsEndpoint | undefined> {
  return where === undefined ? Promise.resolve(undefined) : startMetrics(where);
}

/** Commits what is waiting and releases the file; false (logged) if some writes could not be saved. */
async function closeStore(store: RelayStore, logger: Logger): Promise<boolean> {
  try {
    await store.close();
    return true;
  } catch (error) {
    logger.error(
      { err: error instanceof Error ? error.message : String(error) },
      'store: not closed cleanly',
    );
    return false;
  }
}

function startServer(
  commandLine: RelayCommandLine,
  settings: RelayHostSettings,
  v2: Pick<RelayServerOptions, 'v2' | 'maxV2Sessions'>,
  opened: OpenedStore,
  loaded: LoadedIdentity,
  logger: Logger,
  metrics: MetricsEndpoint | undefined,
  cluster: JoinedCluster | null,
): Promise<RelayServer> {
  const { flags } = commandLine;
  const log = eventLogger(logger);
  // --trace shows what each protected datagram held where the relay sealed or opened it; never a key.
  const observer: NonNullable<RelayServerOptions['v2']>['observer'] = (note) =>
    process.stderr.write(`${formatProtectedTrace(note.direction, note)}
`);
  return RelayServer.start({
    host: flags.host,
    port: flags.port,
    ...(flags.trace
      ? {
          trace: (direction, peer, bytes) => process.stderr.write(`${formatTrace(direction, peer, bytes)}\n`),
        }
      : {}),
    relay: {
      ...coreOptionsFromFlags(commandLine),
      accounts: opened.accounts,
      store: opened.store,
      registeredOnly: flags['registered-only'],
      resumptionKey: cluster?.resumptionKey ?? null,
    },
    ...(cluster === null ? {} : { cluster: cluster.link }),
    recvBufferSize: settings.recvBufferSize,
    sendBufferSize: settings.sendBufferSize,
    sendThreads: settings.sendThreads,
    streams: settings.streams,
    strict: flags.strict,
    identity: loaded.identity,
    ...v2,
    ...(flags.trace ? { v2: { ...v2.v2, observer } } : {}),
    onEvent:
      metrics === undefined
        ? log
        : (event: RelayEvent) => {
            metrics.record(event);
            log(event);
          },
  });
}

/** The v2 endpoint's settings from the `--v2-*` flags. */
function v2Options({ flags }: RelayCommandLine): Pick<RelayServerOptions, 'v2' | 'maxV2Sessions'> {
  const tuning = relayTuningFromFlags(flags);
  const idleTimeoutMs = tuning.idleTimeoutMs ?? flags['idle-timeout'];
  try {
    advertisedTimers(idleTimeoutMs, tuning.keepAliveMs);
  } catch (error) {
    const why = error instanceof RangeError ? error.message : String(error);
    throw new UsageError('bad-value', `--v2-keepalive / --v2-idle-timeout: ${why}`);
  }
  return {
    maxV2Sessions: tuning.maxSessions,
    v2: {
      channel: tuning.channel,
      challengeRetryMs: tuning.challengeRetryMs,
      ...(tuning.keepAliveMs === undefined ? {} : { keepAliveMs: tuning.keepAliveMs }),
      ...(tuning.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: tuning.idleTimeoutMs }),
    },
  };
}

/** `relay identity SHA256:…`: what clients pin, and what an operator tells them out of band. */
function announceIdentity(loaded: LoadedIdentity): void {
  const line = `relay identity ${fingerprint(loaded.identity.publicKey)}`;
  if (loaded.path === null) {
    process.stdout.write(
      `${line} (not saved: clients will see a new key after a restart; use --identity FILE)\n`,
    );
  } else process.stdout.write(`${line}${loaded.created ? ` (created ${loaded.path})` : ''}\n`);
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
  settings: RelayHostSettings,
  identity: LoadedIdentity,
  logger: Logger,
  cluster: ClusterSettings | null,
): void {
  process.stdout.write(`relay listening on udp/${server.address.port}\n`);
  if (server.tcpAddress !== null) process.stdout.write(`relay listening on tcp/${server.tcpAddress.port}\n`);
  if (server.webUrl !== null) process.stdout.write(`web client on ${server.webUrl}\n`);
  if (metrics !== undefined) process.stdout.write(`metrics on ${metrics.url}\n`);
  announceIdentity(identity);
  logger.info(
    {
      host: server.address.host,
      port: server.address.port,
      metrics: metrics?.url ?? null,
      tcp: server.tcpAddress?.port ?? null,
      web: server.webUrl,
      rcvbuf: settings.recvBufferSize,
      sndbuf: settings.sendBufferSize,
      sendThreads: server.sendThreads,
      cluster: cluster === null ? null : redactUrl(cluster.url),
      node: cluster?.nodeId ?? null,
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

async function runUntilSignal(
  server: RelayServer,
  metrics: MetricsEndpoint | undefined,
  logger: Logger,
): Promise<number> {
  const stop = stopOnSignals();
  await whenAborted(stop.signal);
  logger.info({ signal: stop.signal.reason }, 'relay stopping');
  try {
    await server.stop();
    await metrics?.close();
  } catch {
    // Stopping is best effort: the goodbye was sent or the deadline ends the process anyway.
  }
  return 0;
}

/**
 * `--accounts FILE`; `--registered-only` without accounts would refuse every nickname, so it is a usage
 * error. With --db the accounts are the database's: a file beside it would be a second truth, so it is
 * imported once instead (`udpchat account import`).
 */
async function loadAccounts(
  path: string | undefined,
  registeredOnly: boolean,
  db: string | undefined,
): Promise<AccountTable | undefined> {
  if (path !== undefined && db !== undefined)
    throw new UsageError(
      'conflict',
      '--accounts and --db: the accounts are in the database (import the file once with "udpchat account import --accounts FILE --db FILE")',
    );
  if (path !== undefined) return loadAccountDirectory(path);
  if (registeredOnly && db === undefined)
    throw new UsageError('conflict', '--registered-only needs --accounts FILE or --db FILE');
  return undefined;
}
