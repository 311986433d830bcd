import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ack, enqueue, makeBuffer, seqs } from './send-helpers.ts';

describe('SendBuffer: give-up and SKIP', () => {
  it('after a give-up, SKIP to the lowest live line rides until the peer acknowledges past it', () => {
    const { buffer } = makeBuffer({ maxRetransmissions: 0 });
    enqueue(buffer, 3);
    seqs(buffer, 0, 13); // line 0
    assert.equal(buffer.pendingSkip(), null);
    seqs(buffer, 400, 13); // line 1, deadline 900
    assert.deepEqual(buffer.onTimeout(500), [0]);
    assert.deepEqual(buffer.pendingSkip(), { frame: { type: 'skip', seq: 1 }, due: true });
    buffer.onSkipSent(500);
    assert.deepEqual(buffer.pendingSkip(), { frame: { type: 'skip', seq: 1 }, due: false });
    buffer.onAck(520, ack(0));
    assert.notEqual(buffer.pendingSkip(), null, 'ack next 0 has not passed line 0');
    buffer.onAck(530, ack(1));
    assert.equal(buffer.pendingSkip(), null);
  });

  it('SKIP covers every line given up so far, and the lines acknowledged between them', () => {
    const { buffer } = makeBuffer({ maxRetransmissions: 0 });
    enqueue(buffer, 5);
    seqs(buffer, 0); // lines 0-4
    buffer.onAck(20, ack(0, [1, 3]));
    assert.deepEqual(buffer.onTimeout(500), [0, 2, 4]);
    assert.deepEqual(buffer.pendingSkip()?.frame, { type: 'skip', seq: 5 });
  });

  it('SKIP waits while a live line lies below the abandoned one', () => {
    const { buffer } = makeBuffer({ maxRetransmissions: 0 });
    enqueue(buffer, 3);
    seqs(buffer, 0, 26); // lines 0 and 1 at t=0, RTO 500
    buffer.onAck(10, ack(0, [1])); // sample 10 ms: RTO 100
    seqs(buffer, 20, 13); // line 2, deadline 120
    assert.deepEqual(buffer.onTimeout(120), [2]);
    assert.equal(buffer.pendingSkip(), null, 'line 0 is still live: SKIP(0) would say nothing');
    buffer.onAck(130, ack(2));
    assert.deepEqual(buffer.pendingSkip(), { frame: { type: 'skip', seq: 3 }, due: true });
  });

  it('re-sends a lone SKIP on its own backed-off timer', () => {
    const { buffer } = makeBuffer({ maxRetransmissions: 0 });
    enqueue(buffer, 1);
    seqs(buffer, 0);
    buffer.onTimeout(500);
    buffer.onSkipSent(500);
    assert.equal(buffer.nextTimeout(), 1000);
    buffer.onTimeout(1000);
    assert.equal(buffer.pendingSkip()?.due, true);
    buffer.onSkipSent(1000);
    assert.equal(buffer.nextTimeout(), 2000);
    buffer.onAck(1010, ack(1));
    assert.equal(buffer.nextTimeout(), null);
  });
});
