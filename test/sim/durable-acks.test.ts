/**
 * "No acknowledged line lost", in simulated time: with a SQLite store whose group commit comes 500 ms
 * after a write, the other members get a v2 line at once, but its sender's acknowledgement waits for
 * the commit that holds it; with the commit done, it comes straight after.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Scheduler } from '../../src/store/scheduler.ts';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { TempDir } from '../store/support/temp-dir.ts';
import { ChatSim } from './chat-sim.ts';
import type { PathProfile } from './sim-network.ts';

const CLEAN: PathProfile = { loss: 0, duplicate: 0, reorder: 0, delayMs: 5, jitterMs: 0 };
const COMMIT_DELAY_MS = 500;
const dir = new TempDir('durable-acks');
after(() => dir.remove());

describe('v2 acknowledgements and the group commit', () => {
  test('a line is relayed at once and acknowledged only once it is committed', async (t) => {
    // The store is opened before the simulation that holds the clock: its first timers wait for it.
    let sim: ChatSim | undefined;
    const early: (() => void)[] = [];
    const scheduler: Scheduler = {
      after: (ms, run) => {
        if (sim !== undefined) return running.time.after(ms, run);
        early.push(() => sim?.time.after(ms, run));
        return () => {};
      },
    };
    const store: SqliteStore = openSqliteStore({
      path: dir.file(),
      commit: { delayMs: COMMIT_DELAY_MS },
      scheduler,
    });
    const running = new ChatSim(3, { relay: { store, lineRate: 0 } });
    sim = running;
    for (const start of early) start();
    t.after(async () => {
      await running.stop();
      await store.close();
    });
    const alice = await running.connect('alice', { host: '198.51.100.1', protocol: 'v2', profile: CLEAN });
    const bob = await running.connect('bob', { host: '198.51.100.2', protocol: 'v2', profile: CLEAN });
    running.welcomeAll();
    // Let the joins' own writes (the lobby's operator) be committed first.
    running.time.advanceTo(running.time.now + 2 * COMMIT_DELAY_MS, 100_000);

    const acked: { id: number; at: number; committed: number }[] = [];
    alice.on('acked', (e) =>
      acked.push({ id: e.id, at: running.time.now, committed: store.committedTicket }),
    );
    const said = alice.client.say('kept before acknowledged');
    assert.ok(said.ok && said.id !== undefined);
    const saidAt = running.time.now;
    const ticket = store.lastTicket;
    running.time.run({
      until: () => acked.some((a) => a.id === said.id),
      maxTimeMs: saidAt + 5_000,
      maxSteps: 100_000,
      describe: () =>
        `acked ${JSON.stringify(acked)}, committed ${store.committedTicket} of ${store.lastTicket}`,
    });
    const heardAt = bob.heard.find((line) => line.text === 'kept before acknowledged')?.at;
    assert.ok(heardAt !== undefined && heardAt - saidAt < 100, `bob heard it at once (${heardAt})`);
    const ack = acked.find((a) => a.id === said.id);
    assert.ok(ack !== undefined);
    assert.ok(ack.committed >= ticket, 'the store had committed the line when its ack arrived');
    assert.ok(ack.at - saidAt >= COMMIT_DELAY_MS, `acknowledged after the commit (${ack.at - saidAt} ms)`);
    assert.ok(ack.at - saidAt < COMMIT_DELAY_MS + 100, `and straight after it (${ack.at - saidAt} ms)`);
  });
});
