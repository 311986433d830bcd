/**
 * The relay's cluster flags, `--cluster redis://HOST:PORT[/DB]` and `--node-id ID` (issue 12 names them),
 * ready for the relay's flag table: the values are checked here, before anything connects.
 */
import { hostname } from 'node:os';
import { ClusterError } from '../cluster/bus-error.ts';
import { parseRedisUrl } from '../cluster/redis/redis-url.ts';
import { NODE_ID_PATTERN } from '../relay/cluster-bus.ts';
import { valueFlag } from './flag-table.ts';
import { UsageError } from './usage-error.ts';
import type { ValueType } from './values.ts';

/** A cluster URL, kept as written (the bus reads it again); refused with the URL parser's reason. */
export const clusterUrl: ValueType<string> = {
  placeholder: 'URL',
  format: String,
  parse(text, name) {
    try {
      parseRedisUrl(text);
    } catch (error) {
      if (error instanceof ClusterError) throw new UsageError('bad-value', `${name}: ${error.message}`);
      throw error;
    }
    return text;
  },
};

export const nodeId: ValueType<string> = {
  placeholder: 'ID',
  format: String,
  parse(text, name) {
    if (!NODE_ID_PATTERN.test(text)) {
      throw new UsageError(
        'bad-value',
        `${name} must be 1-64 of A-Z a-z 0-9 _ . -, got ${JSON.stringify(text)}`,
      );
    }
    return text;
  },
};

export const CLUSTER_FLAGS = {
  cluster: valueFlag(
    clusterUrl,
    'join the relays that share this Redis as one chat network (redis://[:PASSWORD@]HOST:PORT[/DB])',
    { defaultText: 'a relay on its own' },
  ),
  'node-id': valueFlag(nodeId, "this relay's name in the cluster, unique among its relays", {
    defaultText: 'HOST-PORT of this machine',
  }),
} as const;

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
  const named = flags['node-id'];
  // Port 0 is chosen at bind time, after the bus has said hello: every such relay would be HOST-0.
  if (named === undefined && port === 0)
    throw new UsageError('conflict', '--cluster with --port 0 needs --node-id ID', 'relay');
  return { url: flags.cluster, nodeId: named ?? defaultNodeId(machine, port) };
}
