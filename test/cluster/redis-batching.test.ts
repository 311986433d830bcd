/** The round trips of a busy relay: the changes of one turn of the event loop reach Redis in one apply call. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { redisClusterBus } from '../../src/cluster/redis/redis-bus.ts';
import type { RoomLineInput } from '../../src/relay/store.ts';
import { BusEvents } from './support/bus-events.ts';
import { RedisServer } from './support/redis-server.ts';

const LINES = 20;

function line(n: number): RoomLineInput {
  return {
    roomKey: 'lobby',
    roomName: '#lobby',
    at: 1_000 + n,
    kind: 'say',
    nick: 'alice',
    text: `line ${n}`,
  };
}

describe('batching on Redis', () => {
  it('sends the lines said in one turn as one batch, in order, each once', async (t) => {
    const server = await RedisServer.start(t);
    const bus = redisClusterBus(server.url(), { nodeId: 'a', readBlockMs: 200 });
    t.after(() => bus.close());
    await bus.start(new BusEvents());
    const ids = await Promise.all(Array.from({ length: LINES }, (_, n) => bus.publishLine(line(n))));
    assert.deepEqual(
      ids.map((published) => published.id),
      Array.from({ length: LINES }, (_, n) => n + 1),
    );
    const redis = new Redis({ host: '127.0.0.1', port: server.port, lazyConnect: true });
    t.after(() => redis.disconnect());
    await redis.connect();
    // The last batch applied is the relay's first and holds every line: one apply call, not one a line.
    const [first, results] = await redis.hmget('udpchat:last:a', 'first', 'results');
    assert.equal(first, '1');
    assert.equal((JSON.parse(results ?? '[]') as unknown[]).length, LINES);
    assert.equal(await redis.xlen('udpchat:room:lobby:lines'), LINES);
  });
});
