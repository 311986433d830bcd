/**
 * Joining a cluster from `udpchat relay --cluster URL [--node-id ID]`: the settings the flags give, the
 * default node id, and a started bus whose state changes go to the relay's log (degraded and back, with
 * the reason; never the password). Wiring the bus into the relay core is the next step (docs/CLUSTER.md).
 */
import { hostname } from 'node:os';
import { redisClusterBus } from '../cluster/redis/redis-bus.ts';
import { redactUrl } from '../cluster/redis/redis-url.ts';
import type { Logger } from '../observability/logger.ts';
import type { ClusterBus, ClusterListener } from '../relay/cluster-bus.ts';
import { UsageError } from './usage-error.ts';

export interface ClusterSettings {
  readonly url: string;
  readonly nodeId: string;
}

/** A node id from the machine's name and the relay's port: unique per relay on one machine. */
export function defaultNodeId(host: string, port: number): string {
  const safe = host.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 57) || 'relay';
  return `${safe}-${port}`;
}

/** Null for a relay on its own; `--node-id` alone is refused. */
export function clusterSettings(
  flags: { readonly cluster: string | undefined; readonly 'node-id': string | undefined },
  port: number,
  machine: string = hostname(),
): ClusterSettings | null {
  if (flags.cluster === undefined) {
    if (flags['node-id'] !== undefined)
      throw new UsageError('conflict', '--node-id needs --cluster', 'relay');
    return null;
  }
  return { url: flags.cluster, nodeId: flags['node-id'] ?? defaultNodeId(machine, port) };
}

/**
 * Starts the bus (resolves degraded if Redis is not reachable yet: it keeps trying); rejects with the
 * bus's error for what retrying cannot fix (credentials, version, node id in use).
 */
export async function joinCluster(
  settings: ClusterSettings,
  logger: Logger,
  events: Pick<ClusterListener, 'event'> = { event() {} },
): Promise<ClusterBus> {
  const bus = redisClusterBus(settings.url, { nodeId: settings.nodeId });
  const where = { cluster: redactUrl(settings.url), node: settings.nodeId };
  await bus.start({
    event: (event) => events.event(event),
    status: (status) => {
      if (status.state === 'degraded')
        logger.warn({ ...where, pending: status.pending, detail: status.detail }, 'cluster degraded');
      else if (status.state === 'connected')
        logger.info({ ...where, pending: status.pending }, 'cluster connected');
    },
    fatal: (failure) =>
      logger.error({ ...where, code: failure.code, detail: failure.message }, 'cluster refused'),
  });
  return bus;
}
