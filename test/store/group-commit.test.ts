/**
 * GroupCommit's own rules, on a fake clock with a back end that keeps batches in an array (the SQLite
 * store's use of it, with real transactions and a real full disk, is in sqlite-store.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoreFailure } from '../../src/relay/store.ts';
import { type BatchSink, GroupCommit, groupCommitSettings } from '../../src/store/group-commit.ts';
import { ManualScheduler } from './support/manual-scheduler.ts';

class ArraySink implements BatchSink<string> {
  readonly batches: string[][] = [];
  readonly committedTickets: number[] = [];
  readonly failures: StoreFailure[] = [];
  failing = false;

  commit(writes: readonly string[]): void {
    if (this.failing) throw Object.assign(new Error('disk full'), { code: 'SQLITE_FULL' });
    this.batches.push([...writes]);
  }

  describe(error: unknown) {
    return { code: 'disk-full' as const, message: String(error) };
  }

  committed(ticket: number): void {
    this.committedTickets.push(ticket);
  }

  failed(failure: StoreFailure): void {
    this.failures.push(failure);
  }
}

function setUp(options: Parameters<typeof groupCommitSettings>[1] = {}) {
  const sink = new ArraySink();
  const scheduler = new ManualScheduler();
  const commit = new GroupCommit(sink, groupCommitSettings(1_000, options), scheduler);
  return { sink, scheduler, commit };
}

describe('GroupCommit', () => {
  it('commits a few ms after the first write, all waiting writes in one batch', () => {
    const { sink, scheduler, commit } = setUp({ delayMs: 5 });
    commit.addLine(() => 'a');
    scheduler.advance(3);
    commit.addLine(() => 'b');
    scheduler.advance(1);
    assert.deepEqual(sink.batches, []);
    scheduler.advance(1);
    assert.deepEqual(sink.batches, [['a', 'b']]);
    assert.deepEqual(sink.committedTickets, [2]);
  });

  it('commits at once (on the next turn) when a batch is full', () => {
    const { sink, scheduler, commit } = setUp({ delayMs: 5, batchSize: 3 });
    for (const write of ['a', 'b', 'c']) commit.addLine(() => write);
    scheduler.advance(0);
    assert.deepEqual(sink.batches, [['a', 'b', 'c']]);
  });

  it('works off a backlog one chunk per turn, each chunk reported as it commits', () => {
    const { sink, scheduler, commit } = setUp({ batchSize: 2, maxChunk: 2 });
    for (const write of ['a', 'b', 'c', 'd', 'e']) commit.addLine(() => write);
    scheduler.advance(0);
    assert.deepEqual(sink.batches, [['a', 'b'], ['c', 'd'], ['e']]);
    assert.deepEqual(sink.committedTickets, [2, 4, 5]);
  });

  it('a keyed write replaces the waiting one and shares its ticket; committed never runs ahead of it', () => {
    const { sink, scheduler, commit } = setUp({ batchSize: 100, maxChunk: 2 });
    const room = commit.addKeyed('room #a', 'topic 1');
    commit.addLine(() => 'line');
    assert.equal(commit.addKeyed('room #a', 'topic 2'), room);
    commit.addLine(() => 'line 2');
    scheduler.advance(5);
    assert.deepEqual(sink.batches, [['topic 2', 'line'], ['line 2']]);
    assert.deepEqual(sink.committedTickets, [2, 3]);
  });

  it('a failure keeps the writes first in line and retries with a doubling back-off', () => {
    const { sink, scheduler, commit } = setUp({ delayMs: 5, retryMinMs: 50, retryMaxMs: 150 });
    sink.failing = true;
    commit.addLine(() => 'a');
    scheduler.advance(5);
    commit.addLine(() => 'b');
    scheduler.advance(50 + 100 + 150);
    assert.deepEqual(
      sink.failures.map((failure) => failure.retryInMs),
      [50, 100, 150, 150],
    );
    assert.equal(commit.committedTicket, 0);
    assert.equal(commit.commitNow(), null, 'while backing off, only a forced commit tries');
    sink.failing = false;
    scheduler.advance(150);
    assert.deepEqual(sink.batches, [['a', 'b']]);
    assert.equal(commit.committedTicket, 2);
    assert.equal(commit.failures, 4);
  });

  it('past the bound of waiting lines, a line is refused without being made', () => {
    const sink = new ArraySink();
    const commit = new GroupCommit(sink, groupCommitSettings(2), new ManualScheduler());
    let made = 0;
    const make = (): string => {
      made += 1;
      return 'line';
    };
    assert.deepEqual([commit.addLine(make), commit.addLine(make), commit.addLine(make)], [1, 2, null]);
    assert.equal(made, 2);
    assert.equal(commit.refusedLines, 1);
    assert.equal(commit.addKeyed('account alice', 'alice'), 3, 'keyed writes are never refused');
  });

  it('stop commits what waits and says what could not be', () => {
    const { sink, commit } = setUp();
    commit.addLine(() => 'a');
    sink.failing = true;
    assert.equal(commit.stop()?.pendingWrites, 1);
    sink.failing = false;
    const { commit: healthy, sink: healthySink } = setUp();
    healthy.addLine(() => 'b');
    assert.equal(healthy.stop(), null);
    assert.deepEqual(healthySink.batches, [['b']]);
  });
});
