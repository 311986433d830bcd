import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Frame } from '../../../src/protocol/v2/frames.ts';
import { ReliableChannel } from '../../../src/session/reliable/channel.ts';

const NO_ACK = { next: 0, bitmap: 0 };

function lines(...seqs: number[]): Frame[] {
  return seqs.map((seq) => ({ type: 'line', seq, text: `L${seq}` }));
}

describe('ReliableChannel: acknowledgements held until the application has made lines durable', () => {
  it('a held line is delivered but not acknowledged, and is acknowledged at once when released', () => {
    const channel = new ReliableChannel();
    const delivered = channel.receive(0, NO_ACK, lines(0, 1)).delivered;
    assert.equal(delivered.length, 2, 'the application gets the lines at once');
    channel.holdAcks(0, 7);
    assert.deepEqual(channel.poll(0)?.ack, { next: 0, bitmap: 0 }, 'nothing claimed while held');
    assert.equal(channel.releaseAcks(5, 6), true, 'an earlier token releases nothing');
    assert.equal(channel.releaseAcks(5, 7), false);
    assert.deepEqual(channel.poll(5)?.ack, { next: 2, bitmap: 0 }, 'due at once after the release');
  });

  it('holds are lifted in order: the ack moves to the next hold, never past it', () => {
    const channel = new ReliableChannel();
    channel.receive(0, NO_ACK, lines(0));
    channel.holdAcks(0, 1);
    channel.receive(1, NO_ACK, lines(1, 2));
    channel.holdAcks(1, 2);
    channel.receive(2, NO_ACK, lines(3));
    assert.equal(channel.poll(2)?.ack.next, 0);
    assert.equal(channel.releaseAcks(3, 1), true);
    assert.equal(channel.poll(3)?.ack.next, 1);
    assert.equal(channel.releaseAcks(4, 2), false);
    assert.equal(channel.poll(4)?.ack.next, 4, 'line 3 made no write, so nothing holds it');
  });

  it('a retransmission of a held line is a duplicate and does not advance the ack', () => {
    const channel = new ReliableChannel();
    channel.receive(0, NO_ACK, lines(0));
    channel.holdAcks(0, 1);
    assert.deepEqual(channel.receive(100, NO_ACK, lines(0)).delivered, [], 'delivered once only');
    assert.equal(channel.poll(100)?.ack.next, 0);
  });
});
