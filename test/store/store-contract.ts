/**
 * The storage contract, one suite for every back end: `storeContract(name, open)` registers the same
 * tests for a store made by `open`. A back end passes when it behaves as the relay core expects,
 * whatever keeps its data.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lookalikeKey } from '../../src/protocol/lookalike.ts';
import {
  type CommitTicket,
  type HistoryPage,
  MAX_HISTORY_PAGE,
  type RelayStore,
  type RoomLine,
} from '../../src/relay/store.ts';
import type { Retention } from '../../src/store/retention.ts';
import { account, busyRoom, privateLine, roomLine } from './support/lines.ts';
import { ManualClock, ManualScheduler } from './support/manual-scheduler.ts';

export interface ContractEnv {
  readonly scheduler: ManualScheduler;
  readonly clock: ManualClock;
  readonly retention: Partial<Retention>;
  readonly pruneIntervalMs: number;
}

export type OpenStore = (env: ContractEnv) => RelayStore;

const PRUNE_INTERVAL_MS = 1_000;

/** Runs `body` on a fresh store and closes it, whatever happens. */
async function withStore(
  open: OpenStore,
  body: (store: RelayStore, env: ContractEnv) => Promise<void> | void,
  retention: Partial<Retention> = {},
): Promise<void> {
  const env: ContractEnv = {
    scheduler: new ManualScheduler(),
    clock: new ManualClock(),
    retention,
    pruneIntervalMs: PRUNE_INTERVAL_MS,
  };
  const store = open(env);
  try {
    await body(store, env);
  } finally {
    await store.close();
  }
}

function ids(page: HistoryPage<RoomLine>): number[] {
  return page.lines.map((line) => line.id);
}

function appendMany(store: RelayStore, room: string, count: number): number[] {
  const made: number[] = [];
  for (let i = 1; i <= count; i++) {
    const appended = store.appendLine(roomLine(room, `line ${i}`));
    assert.ok(appended !== null);
    made.push(appended.id);
  }
  return made;
}

export function storeContract(name: string, open: OpenStore): void {
  describe(`${name}: accounts`, () => {
    it('finds a saved account by its nick key, lists it, and replaces it on a second save', () =>
      withStore(open, (store) => {
        store.saveAccount(account('Alice'));
        assert.deepEqual(store.find(lookalikeKey('alice')), account('Alice'));
        store.saveAccount(account('Alice', true));
        assert.equal(store.find(lookalikeKey('Alice'))?.serverOperator, true);
        assert.deepEqual(store.listAccounts(), [account('Alice', true)]);
      }));

    it('forgets a removed account', () =>
      withStore(open, (store) => {
        store.saveAccount(account('alice'));
        store.saveAccount(account('bob'));
        store.removeAccount(lookalikeKey('alice'));
        assert.equal(store.find(lookalikeKey('alice')), undefined);
        assert.deepEqual(
          store.listAccounts().map((record) => record.nick),
          ['bob'],
        );
      }));
  });

  describe(`${name}: kept secrets`, () => {
    it('makes a secret once per name and gives the same one back', () =>
      withStore(open, (store) => {
        let made = 0;
        const create = (): Uint8Array => new Uint8Array(32).fill(++made);
        const first = store.keptSecret('v2-reset-key', create);
        assert.deepEqual(store.keptSecret('v2-reset-key', create), first);
        assert.deepEqual(store.keptSecret('another', create), new Uint8Array(32).fill(2));
        assert.equal(made, 2);
      }));
  });

  describe(`${name}: kept rooms`, () => {
    it('keeps a room whole: topic, invite-only, invitations, bans and operators, in order', () =>
      withStore(open, (store) => {
        store.saveRoom(busyRoom('#ops'));
        assert.deepEqual(store.keptRoom(lookalikeKey('#ops')), busyRoom('#ops'));
        assert.deepEqual(store.keptRooms(), [busyRoom('#ops')]);
      }));

    it('a second save replaces the state, and a forgotten room is gone', () =>
      withStore(open, (store) => {
        store.saveRoom(busyRoom('#ops'));
        const plain = { ...busyRoom('#ops'), topic: '', inviteOnly: false, invited: [], bans: [] };
        store.saveRoom(plain);
        assert.deepEqual(store.keptRoom(plain.key), plain);
        store.saveRoom(busyRoom('#dev'));
        store.forgetRoom(plain.key);
        assert.equal(store.keptRoom(plain.key), undefined);
        assert.deepEqual(
          store.keptRooms().map((room) => room.name),
          ['#dev'],
        );
      }));
  });

  describe(`${name}: room history`, () => {
    it('numbers the lines of each room 1, 2, 3, ... on their own', () =>
      withStore(open, (store) => {
        assert.deepEqual(appendMany(store, '#a', 3), [1, 2, 3]);
        assert.deepEqual(appendMany(store, '#b', 2), [1, 2]);
        assert.equal(store.lastLineId(lookalikeKey('#a')), 3);
        assert.equal(store.lastLineId(lookalikeKey('#nowhere')), 0);
      }));

    it('gives a line back as it was kept, and a query sees a line appended just before it', () =>
      withStore(open, async (store) => {
        const line = { ...roomLine('#Dev', 'waves', 1_800_000_000_123, 'Bob'), kind: 'action' as const };
        store.appendLine(line);
        const page = await store.roomHistory(lookalikeKey('#dev'), { type: 'last', limit: 20 });
        assert.deepEqual(page, { lines: [{ ...line, id: 1 }], more: false });
      }));

    it('last N: the newest N lines, oldest first, and whether older ones exist', () =>
      withStore(open, async (store) => {
        appendMany(store, '#a', 30);
        const key = lookalikeKey('#a');
        const page = await store.roomHistory(key, { type: 'last', limit: 5 });
        assert.deepEqual(ids(page), [26, 27, 28, 29, 30]);
        assert.equal(page.more, true);
        assert.equal(page.lines[0]?.text, 'line 26');
        const all = await store.roomHistory(key, { type: 'last', limit: 30 });
        assert.equal(all.lines.length, 30);
        assert.equal(all.more, false);
      }));

    it('before an id: the lines just older, for paging back to the first', () =>
      withStore(open, async (store) => {
        appendMany(store, '#a', 12);
        const key = lookalikeKey('#a');
        const page = await store.roomHistory(key, { type: 'before', id: 8, limit: 4 });
        assert.deepEqual(ids(page), [4, 5, 6, 7]);
        assert.equal(page.more, true);
        const first = await store.roomHistory(key, { type: 'before', id: 4, limit: 4 });
        assert.deepEqual(ids(first), [1, 2, 3]);
        assert.equal(first.more, false);
        assert.deepEqual(ids(await store.roomHistory(key, { type: 'before', id: 1, limit: 4 })), []);
      }));

    it('after an id: the lines just newer, for gap fill, and whether newer ones remain', () =>
      withStore(open, async (store) => {
        appendMany(store, '#a', 12);
        const key = lookalikeKey('#a');
        const page = await store.roomHistory(key, { type: 'after', id: 5, limit: 4 });
        assert.deepEqual(ids(page), [6, 7, 8, 9]);
        assert.equal(page.more, true);
        const rest = await store.roomHistory(key, { type: 'after', id: 9, limit: 4 });
        assert.deepEqual(ids(rest), [10, 11, 12]);
        assert.equal(rest.more, false);
        assert.deepEqual(ids(await store.roomHistory(key, { type: 'after', id: 12, limit: 4 })), []);
      }));

    it(`no answer holds more than ${MAX_HISTORY_PAGE} lines; a limit of 0 or less asks for none`, () =>
      withStore(open, async (store) => {
        appendMany(store, '#a', MAX_HISTORY_PAGE + 10);
        const key = lookalikeKey('#a');
        const last = await store.roomHistory(key, { type: 'last', limit: 1_000_000 });
        assert.equal(last.lines.length, MAX_HISTORY_PAGE);
        assert.equal(last.lines.at(-1)?.id, MAX_HISTORY_PAGE + 10);
        const after = await store.roomHistory(key, { type: 'after', id: 0, limit: 1_000 });
        assert.equal(after.lines.length, MAX_HISTORY_PAGE);
        assert.equal(after.lines[0]?.id, 1);
        assert.deepEqual((await store.roomHistory(key, { type: 'last', limit: 0 })).lines, []);
        assert.deepEqual((await store.roomHistory(key, { type: 'last', limit: -3 })).lines, []);
      }));

    it('a room never written to has no history', () =>
      withStore(open, async (store) => {
        assert.deepEqual(await store.roomHistory(lookalikeKey('#none'), { type: 'last', limit: 20 }), {
          lines: [],
          more: false,
        });
      }));
  });

  describe(`${name}: private history`, () => {
    it('keeps a conversation under its two nicks in either order, numbered on its own', () =>
      withStore(open, async (store) => {
        appendMany(store, '#a', 3);
        assert.equal(store.appendPrivateLine(privateLine('alice', 'bob', 'hi bob'))?.id, 1);
        assert.equal(store.appendPrivateLine(privateLine('Bob', 'alice', 'hi alice'))?.id, 2);
        assert.equal(store.appendPrivateLine(privateLine('alice', 'carol', 'hi carol'))?.id, 1);
        const page = await store.privateHistory(lookalikeKey('bob'), lookalikeKey('alice'), {
          type: 'last',
          limit: 20,
        });
        assert.deepEqual(page.lines, [
          { ...privateLine('alice', 'bob', 'hi bob'), id: 1 },
          { ...privateLine('Bob', 'alice', 'hi alice'), id: 2 },
        ]);
        const older = await store.privateHistory(lookalikeKey('alice'), lookalikeKey('bob'), {
          type: 'before',
          id: 2,
          limit: 5,
        });
        assert.deepEqual(
          older.lines.map((line) => line.text),
          ['hi bob'],
        );
      }));
  });

  describe(`${name}: retention`, () => {
    it('keeps at most max-lines lines per room, the newest, and ids go on', () =>
      withStore(
        open,
        async (store, env) => {
          appendMany(store, '#a', 25);
          appendMany(store, '#b', 3);
          await store.flush();
          env.scheduler.advance(PRUNE_INTERVAL_MS);
          const key = lookalikeKey('#a');
          const page = await store.roomHistory(key, { type: 'last', limit: 100 });
          assert.deepEqual(ids(page), [16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
          assert.equal(page.more, false);
          assert.equal(
            (await store.roomHistory(lookalikeKey('#b'), { type: 'last', limit: 100 })).lines.length,
            3,
          );
          assert.equal(store.stats().linesPruned, 15);
          assert.equal(store.appendLine(roomLine('#a', 'next'))?.id, 26);
        },
        { maxLines: 10 },
      ));

    it('prunes lines older than max-age once the clock has passed it, rooms and conversations alike', () =>
      withStore(
        open,
        async (store, env) => {
          const start = env.clock.now;
          for (let i = 0; i < 5; i++) store.appendLine(roomLine('#a', `old ${i}`, start + i));
          store.appendPrivateLine(privateLine('alice', 'bob', 'old', start));
          store.appendLine(roomLine('#a', 'new', start + 60_000));
          await store.flush();
          env.clock.now = start + 60_000 + 10;
          env.scheduler.advance(PRUNE_INTERVAL_MS);
          const page = await store.roomHistory(lookalikeKey('#a'), { type: 'last', limit: 20 });
          assert.deepEqual(
            page.lines.map((line) => line.text),
            ['new'],
          );
          const pair = await store.privateHistory(lookalikeKey('alice'), lookalikeKey('bob'), {
            type: 'last',
            limit: 20,
          });
          assert.deepEqual(pair.lines, []);
          assert.equal(store.appendLine(roomLine('#a', 'later', start + 60_010))?.id, 7);
        },
        { maxAgeMs: 60_000 },
      ));
  });

  describe(`${name}: commits`, () => {
    it('every write returns a ticket, in order; commits are told after the write, never inside it', () =>
      withStore(open, async (store, env) => {
        const told: CommitTicket[] = [];
        let writing = false;
        store.subscribe({
          committed: (ticket) => {
            assert.equal(writing, false, 'told from inside a write');
            told.push(ticket);
          },
          failed: (failure) => assert.fail(failure.message),
        });
        writing = true;
        const tickets = [
          store.saveAccount(account('alice')),
          store.saveRoom(busyRoom()),
          store.appendLine(roomLine('#a', 'one'))?.ticket,
          store.appendPrivateLine(privateLine('alice', 'bob', 'psst'))?.ticket,
        ];
        writing = false;
        assert.deepEqual(tickets, [1, 2, 3, 4]);
        env.scheduler.advance(PRUNE_INTERVAL_MS);
        await store.flush();
        assert.equal(told.at(-1), 4);
        assert.equal(store.committedTicket, 4);
        const stats = store.stats();
        assert.equal(stats.lastTicket, 4);
        assert.equal(stats.committedTicket, 4);
        assert.equal(stats.pendingWrites, 0);
      }));

    it('a write after close is refused', async () => {
      const store = open({
        scheduler: new ManualScheduler(),
        clock: new ManualClock(),
        retention: {},
        pruneIntervalMs: PRUNE_INTERVAL_MS,
      });
      await store.close();
      assert.throws(() => store.appendLine(roomLine('#a', 'late')), /closed/);
      await store.close();
    });
  });
}
