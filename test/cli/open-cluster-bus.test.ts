/** The bus chosen at start-up: a cluster of one without a URL, Redis with one. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openClusterBus } from '../../src/cli/open-cluster-bus.ts';
import { lookalikeKey } from '../../src/protocol/lookalike.ts';
import { BusEvents } from '../cluster/support/bus-events.ts';
import { RedisServer } from '../cluster/support/redis-server.ts';

const LINE = {
  roomKey: lookalikeKey('#r'),
  roomName: '#r',
  at: 1_800_000_000_000,
  kind: 'say' as const,
  nick: 'alice',
  text: 'hi',
};

describe('the bus a relay starts with', () => {
  it('without a URL is a cluster of one: lines numbered, heard back, nicks claimed', async (t) => {
    const bus = openClusterBus({ url: undefined, nodeId: 'solo' });
    const heard = new BusEvents();
    t.after(() => bus.close());
    await bus.start(heard);
    assert.equal(bus.status().state, 'connected');
    assert.deepEqual(await bus.publishLine(LINE), { id: 1 });
    await heard.until(() => heard.of('line').length === 1, 'the line heard back');
    assert.deepEqual(await bus.claimNick(lookalikeKey('alice'), 'alice'), { ok: true, provisional: false });
    assert.deepEqual(
      (await bus.nodes()).map((n) => n.id),
      ['solo'],
    );
  });

  it('with a URL is the Redis bus', async (t) => {
    const server = await RedisServer.start(t);
    const bus = openClusterBus({ url: server.url(), nodeId: 'a' });
    t.after(() => bus.close());
    await bus.start(new BusEvents());
    assert.deepEqual(await bus.publishLine(LINE), { id: 1 });
    assert.deepEqual(
      (await bus.roomHistory(LINE.roomKey, { type: 'last', limit: 5 })).lines.map((l) => l.text),
      ['hi'],
    );
  });
});
