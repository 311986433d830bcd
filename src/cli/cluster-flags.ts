/**
 * The relay's cluster flags, `--cluster redis://HOST:PORT[/DB]` and `--node-id ID` (issue 12 names them),
 * ready for the relay's flag table: the values are checked here, before anything connects.
 */
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
