import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lookalikeKey } from '../../src/protocol/lookalike.ts';
import { MemoryStore } from '../../src/store/memory/memory-store.ts';
import { storeContract } from './store-contract.ts';
import { account, roomLine } from './support/lines.ts';

storeContract(
  'MemoryStore',
  (env) =>
    new MemoryStore({
      retention: env.retention,
      pruneIntervalMs: env.pruneIntervalMs,
      scheduler: env.scheduler,
      clock: env.clock.read,
    }),
);

describe('MemoryStore bounds', () => {
  it('starts with the accounts it is given', async () => {
    const store = new MemoryStore({ accounts: [account('alice')] });
    assert.equal(store.find(lookalikeKey('alice'))?.nick, 'alice');
    await store.close();
  });

  it('holds at most the total cap of lines in all rooms together, dropping the oldest first', async () => {
    const store = new MemoryStore({ maxTotalLines: 10, retention: { maxLines: 8 } });
    for (let i = 1; i <= 6; i++) store.appendLine(roomLine('#a', `a${i}`));
    for (let i = 1; i <= 6; i++) store.appendLine(roomLine('#b', `b${i}`));
    const a = await store.roomHistory(lookalikeKey('#a'), { type: 'last', limit: 20 });
    const b = await store.roomHistory(lookalikeKey('#b'), { type: 'last', limit: 20 });
    assert.deepEqual(
      a.lines.map((line) => line.text),
      ['a3', 'a4', 'a5', 'a6'],
    );
    assert.equal(b.lines.length, 6);
    assert.equal(store.stats().linesPruned, 2);
    await store.close();
  });

  it('a line its room already dropped is not dropped twice by the total cap', async () => {
    const store = new MemoryStore({ maxTotalLines: 5, retention: { maxLines: 2 } });
    for (let i = 1; i <= 4; i++) store.appendLine(roomLine('#a', `a${i}`));
    for (let i = 1; i <= 3; i++) store.appendLine(roomLine('#b', `b${i}`));
    const a = await store.roomHistory(lookalikeKey('#a'), { type: 'last', limit: 20 });
    const b = await store.roomHistory(lookalikeKey('#b'), { type: 'last', limit: 20 });
    assert.deepEqual(
      a.lines.map((line) => line.text),
      ['a3', 'a4'],
    );
    assert.deepEqual(
      b.lines.map((line) => line.text),
      ['b2', 'b3'],
    );
    await store.close();
  });
});
