/**
 * `udpchat relay --cluster URL [--node-id ID]`: the flag values, the settings they make, and a bus joined
 * from them against a real redis-server, its state changes in the relay's log without the password.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLUSTER_FLAGS, clusterUrl, nodeId } from '../../src/cli/cluster-flags.ts';
import { clusterSettings, defaultNodeId, joinCluster } from '../../src/cli/relay-cluster.ts';
import { UsageError } from '../../src/cli/usage-error.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { RedisServer } from '../cluster/support/redis-server.ts';

function refusedValue(run: () => unknown, message: RegExp): void {
  assert.throws(
    run,
    (error: unknown) =>
      error instanceof UsageError && error.code === 'bad-value' && message.test(error.message),
  );
}

describe('the cluster flags', () => {
  it('take a redis URL as written and refuse others with the reason, never showing a password', () => {
    assert.equal(
      clusterUrl.parse('redis://:pw@127.0.0.1:6379/1', '--cluster'),
      'redis://:pw@127.0.0.1:6379/1',
    );
    refusedValue(() => clusterUrl.parse('127.0.0.1:6379', '--cluster'), /^--cluster: .*expected redis:\/\//);
    refusedValue(() => clusterUrl.parse('redis://:hunter2@h:1/x', '--cluster'), /database/);
    assert.throws(
      () => clusterUrl.parse('redis://:hunter2@h:1/x', '--cluster'),
      (error: unknown) => error instanceof Error && !error.message.includes('hunter2'),
    );
    assert.equal(CLUSTER_FLAGS.cluster.placeholder, 'URL');
  });

  it('take a node id of up to 64 safe characters', () => {
    assert.equal(nodeId.parse('relay-1.eu_west', '--node-id'), 'relay-1.eu_west');
    refusedValue(() => nodeId.parse('two words', '--node-id'), /^--node-id must be/);
    refusedValue(() => nodeId.parse('x'.repeat(65), '--node-id'), /1-64/);
    refusedValue(() => nodeId.parse('', '--node-id'), /1-64/);
  });

  it('make no settings without --cluster, refuse --node-id alone, and name a relay by host and port', () => {
    assert.equal(clusterSettings({ cluster: undefined, 'node-id': undefined }, 9999), null);
    assert.throws(
      () => clusterSettings({ cluster: undefined, 'node-id': 'a' }, 9999),
      (error: unknown) => error instanceof UsageError && error.code === 'conflict',
    );
    assert.deepEqual(clusterSettings({ cluster: 'redis://h:1', 'node-id': undefined }, 9999, 'box.local'), {
      url: 'redis://h:1',
      nodeId: 'box.local-9999',
    });
    assert.equal(defaultNodeId('a b/c', 1), 'a-b-c-1');
    assert.equal(defaultNodeId('', 7), 'relay-7');
    assert.ok(/^[A-Za-z0-9_.-]{1,64}$/.test(defaultNodeId('x'.repeat(100), 65535)));
  });
});

describe('joining a cluster from the relay', () => {
  it('logs connected, then degraded with the reason when Redis goes, with no password in the log', async (t) => {
    const server = await RedisServer.start(t, { password: 'hunter2' });
    const lines: string[] = [];
    let sawDegraded = (): void => {};
    const degraded = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no degraded record in ${lines.join('')}`)), 10_000);
      sawDegraded = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    const out = {
      write: (text: string) => {
        lines.push(text);
        if (text.includes('cluster degraded')) sawDegraded();
      },
    };
    const logger = createLogger({ level: 'info', format: 'json', out });
    const bus = await joinCluster({ url: server.url(), nodeId: 'a' }, logger);
    t.after(() => bus.close());
    assert.equal(bus.status().state, 'connected');
    await server.stop();
    await degraded;
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      records.map((record) => record.msg),
      ['cluster connected', 'cluster degraded'],
    );
    assert.equal(records[0]?.cluster, `redis://:***@127.0.0.1:${server.port}`);
    assert.ok(!lines.join('').includes('hunter2'));
  });

  it('rejects for a wrong password, with the reason', async (t) => {
    const server = await RedisServer.start(t, { password: 'right' });
    const logger = createLogger({ level: 'silent', format: 'json' });
    await assert.rejects(joinCluster({ url: server.url('wrong'), nodeId: 'a' }, logger), /credentials/);
  });
});
