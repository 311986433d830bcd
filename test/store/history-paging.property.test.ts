/**
 * Paging back through a room's history with `before`, starting from the newest line, visits every line
 * stored when it started exactly once, newest to oldest, however appends, prunes (by count and by age)
 * and page sizes interleave with the pages. A line pruned while the pager is on its way may be missed
 * (it is gone); nothing still there at the end is skipped, and nothing is seen twice.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { lookalikeKey } from '../../src/protocol/lookalike.ts';
import type { RelayStore } from '../../src/relay/store.ts';
import { MemoryStore } from '../../src/store/memory/memory-store.ts';
import type { Retention } from '../../src/store/retention.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { roomLine } from './support/lines.ts';
import { ManualClock, ManualScheduler } from './support/manual-scheduler.ts';
import { TempDir } from './support/temp-dir.ts';

const dir = new TempDir('paging');
after(() => dir.remove());

const ROOM = '#a';
const KEY = lookalikeKey(ROOM);
const PRUNE_INTERVAL_MS = 1_000;
const MAX_AGE_MS = 10_000;
/** The pager stops after this many pages even if the store keeps saying there are more. */
const MAX_PAGES = 10_000;

type Step =
  | { readonly type: 'append'; readonly count: number }
  | { readonly type: 'prune' }
  | { readonly type: 'age'; readonly ms: number }
  | { readonly type: 'page'; readonly size: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ type: fc.constant('append' as const), count: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ type: fc.constant('prune' as const) }),
  fc.record({ type: fc.constant('age' as const), ms: fc.integer({ min: 1, max: MAX_AGE_MS / 2 }) }),
  fc.record({ type: fc.constant('page' as const), size: fc.integer({ min: 1, max: 30 }) }),
);

interface Scenario {
  readonly maxLines: number;
  readonly initial: number;
  readonly firstPage: number;
  readonly steps: readonly Step[];
  readonly lastPageSize: number;
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  maxLines: fc.integer({ min: 1, max: 60 }),
  initial: fc.integer({ min: 0, max: 150 }),
  firstPage: fc.integer({ min: 1, max: 30 }),
  steps: fc.array(step, { maxLength: 40 }),
  lastPageSize: fc.integer({ min: 1, max: 30 }),
});

interface Env {
  readonly scheduler: ManualScheduler;
  readonly clock: ManualClock;
}

type Open = (env: Env, retention: Partial<Retention>) => RelayStore;

/** Every id the store holds for the room, read forward (`after`), to check the pager against. */
async function storedIds(store: RelayStore): Promise<number[]> {
  const ids: number[] = [];
  let from = 0;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const page = await store.roomHistory(KEY, { type: 'after', id: from, limit: 200 });
    ids.push(...page.lines.map((line) => line.id));
    from = page.lines.at(-1)?.id ?? from;
    if (!page.more) return ids;
  }
  assert.fail('the store never stopped saying there are more lines');
}

async function checkScenario(open: Open, input: Scenario): Promise<void> {
  const env: Env = { scheduler: new ManualScheduler(), clock: new ManualClock() };
  const store = open(env, { maxLines: input.maxLines, maxAgeMs: MAX_AGE_MS });
  try {
    const append = (count: number): void => {
      for (let i = 0; i < count; i++) store.appendLine(roomLine(ROOM, 'text', env.clock.now));
    };
    append(input.initial);
    const atStart = new Set(await storedIds(store));
    const visited: number[] = [];
    let page = await store.roomHistory(KEY, { type: 'last', limit: input.firstPage });
    visited.push(...page.lines.map((line) => line.id).reverse());
    const nextPage = async (size: number): Promise<void> => {
      const oldest = visited.at(-1);
      if (oldest === undefined || !page.more) return;
      page = await store.roomHistory(KEY, { type: 'before', id: oldest, limit: size });
      visited.push(...page.lines.map((line) => line.id).reverse());
    };
    for (const action of input.steps) {
      if (action.type === 'append') append(action.count);
      else if (action.type === 'prune') env.scheduler.advance(PRUNE_INTERVAL_MS);
      else if (action.type === 'age') env.clock.now += action.ms;
      else await nextPage(action.size);
    }
    for (let pages = 0; page.more && visited.length > 0 && pages < MAX_PAGES; pages++)
      await nextPage(input.lastPageSize);

    for (let i = 1; i < visited.length; i++)
      assert.ok(
        (visited[i] as number) < (visited[i - 1] as number),
        `not newest to oldest: ${visited.join(' ')}`,
      );
    for (const id of visited) assert.ok(atStart.has(id), `line ${id} was not there when paging began`);
    const atEnd = new Set(await storedIds(store));
    const seen = new Set(visited);
    for (const id of atStart)
      if (atEnd.has(id)) assert.ok(seen.has(id), `line ${id} was skipped (visited ${visited.join(' ')})`);
  } finally {
    await store.close();
  }
}

const backEnds: Record<string, Open> = {
  MemoryStore: (env, retention) =>
    new MemoryStore({
      retention,
      pruneIntervalMs: PRUNE_INTERVAL_MS,
      scheduler: env.scheduler,
      clock: env.clock.read,
    }),
  SqliteStore: (env, retention) =>
    openSqliteStore({
      path: dir.file(),
      retention,
      pruneIntervalMs: PRUNE_INTERVAL_MS,
      scheduler: env.scheduler,
      clock: env.clock.read,
    }),
};

describe('paging back through history', () => {
  for (const [name, open] of Object.entries(backEnds)) {
    it(`${name}: visits every stored line once, in order, whatever happens between pages`, async () => {
      await fc.assert(
        fc.asyncProperty(scenario, (input) => checkScenario(open, input)),
        { numRuns: name === 'SqliteStore' ? 60 : 200 },
      );
    });
  }
});
