/**
 * What only the Redis bus can get wrong: the URL, the credentials, a server that is not there yet, and a
 * server that restarts without its data. Each test runs its own redis-server on a free port.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { ClusterError } from '../../src/cluster/bus-error.ts';
import { redisClusterBus } from '../../src/cluster/redis/redis-bus.ts';
import { parseRedisUrl, redactUrl } from '../../src/cluster/redis/redis-url.ts';
import { lookalikeKey } from '../../src/protocol/lookalike.ts';
import { BusEvents } from './support/bus-events.ts';
import { freePort, RedisServer } from './support/redis-server.ts';

const FAST = { readBlockMs: 200, maxRetryMs: 200, ttlMs: 3_000 } as const;

function isCluster(code: string, pattern?: RegExp) {
  return (error: unknown): boolean =>
    error instanceof ClusterError &&
    error.code === code &&
    (pattern === undefined || pattern.test(error.message));
}

describe('cluster URLs', () => {
  it('reads host, port, password and database', () => {
    assert.deepEqual(parseRedisUrl('redis://:s3cr%40t@127.0.0.1:6380/2'), {
      host: '127.0.0.1',
      port: 6380,
      username: undefined,
      password: 's3cr@t',
      db: 2,
    });
    assert.deepEqual(parseRedisUrl('redis://[::1]'), {
      host: '::1',
      port: 6379,
      username: undefined,
      password: undefined,
      db: 0,
    });
  });

  it('refuses what cannot name one Redis server, saying why and never showing the password', () => {
    const cases: [string, RegExp][] = [
      ['127.0.0.1:6379', /expected redis:\/\//],
      ['http://127.0.0.1:6379', /expected redis:\/\//],
      ['rediss://127.0.0.1:6379', /TLS/],
      ['redis://127.0.0.1:70000', /not a URL|port/],
      ['redis://:hunter2@127.0.0.1:6379/x', /database/],
      ['redis://127.0.0.1:6379/0?timeout=1', /query/],
      ['redis://', /host|not a URL/],
    ];
    for (const [url, reason] of cases) {
      assert.throws(() => parseRedisUrl(url), isCluster('bad-url', reason), url);
    }
    assert.throws(
      () => parseRedisUrl('redis://:hunter2@127.0.0.1:6379/x'),
      (error: unknown) => error instanceof Error && !error.message.includes('hunter2'),
    );
    assert.equal(redactUrl('redis://:hunter2@h:1/0'), 'redis://:***@h:1/0');
    assert.throws(() => redisClusterBus('redis://h:1/x', { nodeId: 'a' }), isCluster('bad-url'));
    assert.throws(
      () => redisClusterBus('redis://h:1', { nodeId: 'bad id' }),
      isCluster('bad-url', /node id/),
    );
  });
});

describe('connecting to Redis', () => {
  it('refuses a wrong password and a missing one with an auth error', async (t) => {
    const server = await RedisServer.start(t, { password: 'right' });
    for (const url of [server.url('wrong'), `redis://127.0.0.1:${server.port}`]) {
      const bus = redisClusterBus(url, { nodeId: 'a', ...FAST });
      t.after(() => bus.close());
      await assert.rejects(bus.start(new BusEvents()), isCluster('auth', /credentials/));
    }
    const bus = redisClusterBus(server.url(), { nodeId: 'a', ...FAST });
    t.after(() => bus.close());
    await bus.start(new BusEvents());
    assert.equal(bus.status().state, 'connected');
  });

  it('refuses a database the server does not have', async (t) => {
    const server = await RedisServer.start(t);
    const bus = redisClusterBus(`${server.url()}/999`, { nodeId: 'a', ...FAST });
    t.after(() => bus.close());
    await assert.rejects(bus.start(new BusEvents()), isCluster('bad-url', /database/));
  });

  it('starts degraded when Redis is not there, serves claims locally, and joins when it comes', async (t) => {
    const port = await freePort();
    const bus = redisClusterBus(`redis://127.0.0.1:${port}`, { nodeId: 'a', ...FAST });
    const heard = new BusEvents();
    t.after(() => bus.close());
    await bus.start(heard);
    assert.equal(bus.status().state, 'degraded');
    assert.match(bus.status().detail, /ECONNREFUSED|unreachable/);
    assert.deepEqual(await bus.claimNick(lookalikeKey('alice'), 'alice'), { ok: true, provisional: true });
    const published = bus.publishLine({
      roomKey: lookalikeKey('#r'),
      roomName: '#r',
      at: 1_800_000_000_000,
      kind: 'say',
      nick: 'alice',
      text: 'before Redis',
    });
    const late = await RedisServer.start(t, { port });
    await heard.untilState('connected');
    assert.deepEqual(await published, { id: 1 });
    const other = redisClusterBus(late.url(), { nodeId: 'b', ...FAST });
    t.after(() => other.close());
    await other.start(new BusEvents());
    assert.deepEqual(await other.claimNick(lookalikeKey('alice'), 'alice'), { ok: false, owner: 'a' });
  });

  it('says when Redis came back without its data, and claims its nicks again', async (t) => {
    const server = await RedisServer.start(t);
    const bus = redisClusterBus(server.url(), { nodeId: 'a', ...FAST });
    const heard = new BusEvents();
    t.after(() => bus.close());
    await bus.start(heard);
    assert.deepEqual(await bus.claimNick(lookalikeKey('alice'), 'alice'), { ok: true, provisional: false });
    await server.stop();
    await heard.untilState('degraded');
    await server.resume();
    await heard.until(() => heard.of('reset').length === 1, 'the reset event');
    const other = redisClusterBus(server.url(), { nodeId: 'b', ...FAST });
    t.after(() => other.close());
    await other.start(new BusEvents());
    await heard.until(() => bus.status().pending === 0, 'the claims sent again');
    assert.deepEqual(await other.claimNick(lookalikeKey('alice'), 'alice'), { ok: false, owner: 'a' });
  });

  it('a relay presumed dead (its TTL key gone) applies nothing until it has said hello and claimed again', async (t) => {
    const server = await RedisServer.start(t);
    const a = redisClusterBus(server.url(), { nodeId: 'a', ...FAST });
    const b = redisClusterBus(server.url(), { nodeId: 'b', ...FAST });
    const heardA = new BusEvents();
    const heardB = new BusEvents();
    t.after(() => a.close());
    t.after(() => b.close());
    await a.start(heardA);
    await b.start(heardB);
    const room = lookalikeKey('#r');
    await a.claimNick(lookalikeKey('alice'), 'alice');
    await a.joinRoom(room, { nickKey: lookalikeKey('alice'), nick: 'alice' }, 'join');
    const admin = new Redis({ port: server.port, lazyConnect: true });
    t.after(() => admin.disconnect());
    await admin.connect();
    await admin.del('udpchat:alive:a');
    const line = {
      roomKey: room,
      roomName: '#r',
      at: 1_800_000_000_000,
      kind: 'say' as const,
      nick: 'alice',
      text: 'still here',
    };
    assert.deepEqual(await a.publishLine(line), { id: 1 });
    await heardB.until(() => heardB.of('line').length === 1, 'b hears the line');
    assert.deepEqual(
      (await b.members(room)).map((m) => `${m.nick}@${m.node}`),
      ['alice@a'],
    );
    assert.deepEqual(await b.claimNick(lookalikeKey('alice'), 'alice'), { ok: false, owner: 'a' });
    assert.equal(await admin.exists('udpchat:alive:a'), 1);
  });
});
