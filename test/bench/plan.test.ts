import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  addressCount,
  linesFor,
  maxSeqFor,
  sliceClients,
  sourceHost,
  workerLineRate,
} from '../../src/bench/model/plan.ts';

describe('dividing a run over workers', () => {
  it('gives every client and every sender to exactly one worker, never more senders than clients', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 16 }), fc.nat(), (n, w, s) => {
        const senders = s % (n + 1);
        const slices = sliceClients(n, senders, w);
        assert.equal(
          slices.reduce((t, x) => t + x.clientCount, 0),
          n,
        );
        assert.equal(
          slices.reduce((t, x) => t + x.senderCount, 0),
          senders,
        );
        let nextClient = 0;
        let nextSender = 0;
        for (const slice of slices) {
          assert.equal(slice.firstClient, nextClient);
          assert.equal(slice.firstSender, nextSender);
          assert.ok(slice.senderCount <= slice.clientCount);
          nextClient += slice.clientCount;
          nextSender += slice.senderCount;
        }
      }),
    );
  });

  it('uses no more workers than clients', () => {
    assert.equal(sliceClients(3, 1, 8).length, 3);
  });

  it('splits the line rate in proportion to each worker’s senders', () => {
    const slices = sliceClients(100, 10, 3);
    assert.deepEqual(
      slices.map((s) => s.senderCount),
      [4, 3, 3],
    );
    assert.deepEqual(
      slices.map((s) => workerLineRate(1000, s, 10)),
      [400, 300, 300],
    );
  });

  it('bounds each sender’s sequence numbers by its share of the lines', () => {
    const slices = sliceClients(100, 10, 3);
    // 400 lines/s for 2 s over 4 senders: 200 each.
    assert.equal(maxSeqFor(slices, 1000, 2000, 10), 200);
    assert.equal(linesFor(333, 2500), 833);
  });
});

describe('source addresses', () => {
  it('starts at 127.0.0.2 and moves on every perAddress clients', () => {
    assert.equal(sourceHost(0, 25_000, true), '127.0.0.2');
    assert.equal(sourceHost(24_999, 25_000, true), '127.0.0.2');
    assert.equal(sourceHost(25_000, 25_000, true), '127.0.0.3');
    assert.equal(sourceHost(99_999, 25_000, true), '127.0.0.5');
    assert.equal(addressCount(100_000, 25_000), 4);
  });

  it('carries into the next octet', () => {
    assert.equal(sourceHost(254, 1, true), '127.0.1.0');
  });

  it('binds the wildcard address for a relay that is not on loopback', () => {
    assert.equal(sourceHost(70_000, 25_000, false), '0.0.0.0');
  });
});
