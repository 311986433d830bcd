/**
 * The event reader on its own, fed by hand: it reads on from its last ids, drops what it has seen, counts
 * what it cannot read, reports a jump in the event numbers as a gap, and abandons a read outlived by a
 * pause (its answer is read again from the same cursor, never delivered twice).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventCursor, ReadBatch, ReadEntry } from '../../src/cluster/backend.ts';
import { ClusterError } from '../../src/cluster/bus-error.ts';
import { EventReader } from '../../src/cluster/node/event-reader.ts';
import type { ClusterEvent } from '../../src/relay/cluster-bus.ts';

const START: EventCursor = { epoch: 'e', events: '3-0', inbox: '0-0', eventNumber: 3 };

function up(n: number): ReadEntry {
  return { id: `${n}-0`, number: n, event: { type: 'node-up', node: `n${n}`, version: 1 } };
}

/** A reader whose reads are answered, in order, by the test. */
function harness() {
  const asked: EventCursor[] = [];
  const answers: { resolve: (batch: ReadBatch) => void; reject: (error: Error) => void }[] = [];
  const heard: ClusterEvent[] = [];
  const lost: unknown[] = [];
  const reader = new EventReader({
    read: (cursor) => {
      asked.push(cursor);
      return new Promise((resolve, reject) => answers.push({ resolve, reject }));
    },
    deliver: (event) => heard.push(event),
    lost: (error) => lost.push(error),
  });
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  return { reader, asked, answers, heard, lost, turn };
}

describe('the event reader', () => {
  it('reads on from the last ids, drops entries already seen, and reports a gap in the numbers', async () => {
    const h = harness();
    h.reader.resume(START);
    await h.turn();
    h.answers[0]?.resolve({ events: [up(2), up(3), up(4), up(7)], inbox: [] });
    await h.turn();
    assert.deepEqual(
      h.heard.map((e) => (e.type === 'gap' ? `gap ${e.missed}` : e.type === 'node-up' ? e.node : e.type)),
      ['n4', 'gap 2', 'n7'],
    );
    assert.deepEqual(h.asked[1], { ...START, events: '7-0', eventNumber: 7 });
    assert.equal(h.reader.eventsMissed, 2);
    h.reader.stop();
  });

  it('counts an entry it cannot read and moves past it', async () => {
    const h = harness();
    h.reader.resume(START);
    await h.turn();
    h.answers[0]?.resolve({ events: [{ id: '4-0', number: 4, event: null }, up(5)], inbox: [] });
    await h.turn();
    assert.equal(h.reader.malformed, 1);
    assert.equal(h.heard.length, 1);
    assert.equal(h.asked[1]?.events, '5-0');
    h.reader.stop();
  });

  it('reports a failed read as lost, and after a resume reads again from the same cursor', async () => {
    const h = harness();
    h.reader.resume(START);
    await h.turn();
    h.answers[0]?.reject(new ClusterError('unavailable', 'gone'));
    await h.turn();
    assert.equal(h.lost.length, 1);
    h.reader.resume(START);
    await h.turn();
    assert.deepEqual(h.asked[1], START);
    h.reader.stop();
  });

  it('discards the answer of a read outlived by a pause: the next loop reads it again, once', async () => {
    const h = harness();
    h.reader.resume(START);
    await h.turn();
    h.reader.pause();
    h.reader.resume(START);
    await h.turn();
    assert.equal(h.asked.length, 2);
    h.answers[0]?.resolve({ events: [up(4)], inbox: [] });
    await h.turn();
    assert.equal(h.heard.length, 0, 'the abandoned read delivers nothing');
    h.answers[1]?.resolve({ events: [up(4)], inbox: [] });
    await h.turn();
    assert.deepEqual(h.heard, [up(4).event]);
    h.reader.stop();
  });
});
