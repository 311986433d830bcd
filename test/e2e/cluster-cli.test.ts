/**
 * `udpchat relay --cluster` refusals through the real CLI: a bad URL is a usage error (exit 2) before
 * anything connects; wrong credentials, another bus version in the cluster and a node id in use stop the
 * relay with one clear line (exit 1), never showing the password; a relay started before Redis waits,
 * says so, and starts serving once Redis is up. Run `npm run build` first by hand.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { freePort, RedisServer } from '../cluster/support/redis-server.ts';
import { CliProcess } from './support/cli-process.ts';
import { clusterRelay } from './support/cluster-relays.ts';
import { seedPeer } from './support/relay-process.ts';

async function refusal(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  const relay = CliProcess.cli(['relay', '--host', '127.0.0.1', '--port', '0', ...args], { name: 'relay' });
  const status = await relay.waitForExit(15_000);
  return { code: status.code, stderr: relay.stderr.items.join('\n') };
}

describe('udpchat relay --cluster refusals and waiting, end to end', { timeout: 90_000 }, () => {
  test('a bad URL, a missing --node-id with port 0, and --node-id alone are usage errors', async () => {
    const bad = await refusal(['--cluster', 'http://127.0.0.1:6379', '--node-id', 'a']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--cluster: .*redis:\/\//);
    const port0 = await refusal(['--cluster', 'redis://127.0.0.1:1']);
    assert.equal(port0.code, 2);
    assert.match(port0.stderr, /--cluster with --port 0 needs --node-id ID/);
    const alone = await refusal(['--node-id', 'a']);
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /--node-id needs --cluster/);
  });

  test('a wrong password stops the relay with the reason and never shows the password', async (t) => {
    const redis = await RedisServer.start(t, { password: 'right-one' });
    const wrong = await refusal(['--cluster', redis.url('hunter2'), '--node-id', 'a']);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /^udpchat: --cluster redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: .*credentials/);
    assert.ok(!wrong.stderr.includes('hunter2'));
  });

  test('a cluster of another bus version, and a node id already in use, are refused', async (t) => {
    const redis = await RedisServer.start(t);
    await clusterRelay(t, redis, 'taken');
    const inUse = await refusal(['--cluster', redis.url(), '--node-id', 'taken']);
    assert.equal(inUse.code, 1);
    assert.match(inUse.stderr, /^udpchat: --cluster redis:\/\/127\.0\.0\.1:\d+: .*taken/);
    const raw = new Redis(redis.url(), { lazyConnect: true });
    await raw.connect();
    await raw.set('udpchat:version', '999');
    await raw.quit();
    const other = await refusal(['--cluster', redis.url(), '--node-id', 'newcomer']);
    assert.equal(other.code, 1);
    assert.match(other.stderr, /^udpchat: --cluster .*999/);
  });

  test('a relay started before Redis waits with back-off, says so, and serves once Redis is up', async (t) => {
    const port = await freePort();
    const relay = CliProcess.cli(
      [
        'relay',
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--cluster',
        `redis://127.0.0.1:${port}`,
        '--node-id',
        'early',
        '--log-format',
        'json',
      ],
      { name: 'relay' },
    );
    t.after(() => relay.stop());
    await relay.waitForLine((line) => line.includes('"msg":"cluster unreachable, retrying"'), {
      timeoutMs: 10_000,
    });
    assert.ok(!relay.stdout.items.some((line) => line.startsWith('relay listening')));
    await RedisServer.start(t, { port });
    const listening = await relay.waitForLine(/^relay listening on udp\/\d+$/, { timeoutMs: 20_000 });
    // Welcomed: the nick was claimed through the cluster that was not there when the relay started.
    await seedPeer(t, { process: relay, port: Number(listening.split('/')[1]) }, 'early-bird');
  });
});
