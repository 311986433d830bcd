/**
 * Joining a cluster from `udpchat relay --cluster URL [--node-id ID]`: a started bus whose state changes go to the relay's log (degraded and back, with
 * the reason; never the password). relay-command.ts hands the bus to the relay host (cluster-link.ts).
 */
import { redisClusterBus } from '../cluster/redis/redis-bus.ts';
import { redactUrl } from '../cluster/redis/redis-url.ts';
import type { Logger } from '../observability/logger.ts';
import type { ClusterBus, ClusterListener } from '../relay/cluster-bus.ts';
import type { ClusterSettings } from './cluster-flags.ts';

export { type ClusterSettings, clusterSettings, defaultNodeId } from './cluster-flags.ts';

/**
 * Starts the bus (resolves degraded if Redis is not reachable yet: it keeps trying); rejects with the
 * bus's error for what retrying cannot fix (credentials, version, node id in use).
 */
export async function joinCluster(
  settings: ClusterSettings,
  logger: Logger,
  listener: Partial<ClusterListener> = {},
  bus: ClusterBus = redisClusterBus(settings.url, { nodeId: settings.nodeId }),
): Promise<ClusterBus> {
  const where = { cluster: redactUrl(settings.url), node: settings.nodeId };
  try {
    await bus.start({
      event: (event) => listener.event?.(event),
      status: (status) => {
        if (status.state === 'degraded')
          logger.warn({ ...where, pending: status.pending, detail: status.detail }, 'cluster degraded');
        else if (status.state === 'connected')
          logger.info({ ...where, pending: status.pending }, 'cluster connected');
        listener.status?.(status);
      },
      fatal: (failure) => {
        logger.error({ ...where, code: failure.code, detail: failure.message }, 'cluster refused');
        listener.fatal?.(failure);
      },
    });
  } catch (error) {
    await bus.close().catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    throw new ClusterJoinError(`--cluster ${where.cluster}: ${reason}`);
  }
  return bus;
}

/** Joining was refused for a reason retrying cannot fix (credentials, version, node id in use). */
export class ClusterJoinError extends Error {
  override readonly name = 'ClusterJoinError';
}

/** How long the relay waits between two attempts to read the cluster's shared key while Redis is away. */
const FIRST_KEY_RETRY_MS = 200;
const MAX_KEY_RETRY_MS = 5_000;

/**
 * The cluster's shared key (resumption tickets), waited for while Redis is away: a relay that starts
 * before Redis retries with back-off, saying so in its log, and serves no one until it has joined.
 */
export async function waitForSharedKey(
  bus: ClusterBus,
  logger: Logger,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<Uint8Array> {
  let delay = FIRST_KEY_RETRY_MS;
  for (;;) {
    try {
      return await bus.sharedKey();
    } catch (error) {
      if (bus.status().state === 'closed') throw error;
      const detail = error instanceof Error ? error.message : String(error);
      logger.warn({ node: bus.nodeId, retryMs: delay, detail }, 'cluster unreachable, retrying');
      await sleep(delay);
      delay = Math.min(MAX_KEY_RETRY_MS, delay * 2);
    }
  }
}
