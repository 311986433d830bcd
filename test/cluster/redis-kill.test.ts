/**
 * A relay process killed with SIGKILL (no goodbye, no last heartbeat): the other relays hear it is gone
 * within its TTL plus a heartbeat, and its nick and its members are released. Real processes, real Redis.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { redisClusterBus } from '../../src/cluster/redis/redis-bus.ts';
import { BusEvents } from './support/bus-events.ts';
import { RedisServer } from './support/redis-server.ts';

const CHILD = fileURLToPath(new URL('./support/bus-child.ts', import.meta.url));
const READY_MS = 15_000;

/** Resolves when the child prints `ready`; rejects if it does not within READY_MS. */
function childReady(stdout: NodeJS.ReadableStream): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`child not ready in ${READY_MS} ms: ${output}`)),
      READY_MS,
    );
    stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('ready\n')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

describe('a relay killed with SIGKILL', () => {
  it('has its nick and members released after its TTL, and the others hear it', async (t) => {
    const server = await RedisServer.start(t);
    const bus = redisClusterBus(server.url(), {
      nodeId: 'b',
      ttlMs: 3_000,
      readBlockMs: 200,
      maxRetryMs: 200,
    });
    const heard = new BusEvents();
    t.after(() => bus.close());
    await bus.start(heard);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, server.url(), 'a', '600', 'alice', '#r'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    t.after(() => child.kill('SIGKILL'));
    await childReady(child.stdout);
    await heard.until(() => heard.of('line').length === 1, 'the child’s line');
    assert.deepEqual(await bus.claimNick('alice', 'alice'), { ok: false, owner: 'a' });
    assert.deepEqual(
      (await bus.members('#r')).map((m) => `${m.nick}@${m.node}`),
      ['alice@a'],
    );
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    await heard.until(() => heard.of('node-gone').some((e) => e.node === 'a'), 'a reaped');
    const gone = heard.of('node-gone').find((e) => e.node === 'a');
    assert.deepEqual(gone?.nicks, ['alice']);
    assert.deepEqual(
      gone?.left.map((l) => `${l.roomKey} ${l.member.nick}`),
      ['#r alice'],
    );
    assert.deepEqual(await bus.members('#r'), []);
    assert.deepEqual(await bus.claimNick('alice', 'alice'), { ok: true, provisional: false });
  });
});
