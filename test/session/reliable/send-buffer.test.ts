import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_LINE_TEXT_BYTES } from '../../../src/protocol/v2/frame-codec.ts';
import { MAX_IN_FLIGHT, MAX_RETRANSMISSIONS, MAX_SEND_QUEUE } from '../../../src/protocol/v2/limits.ts';
import { maxLineBytes } from '../../../src/session/reliable/options.ts';
import { ack, enqueue, FULL, makeBuffer, seqs } from './send-helpers.ts';

describe('SendBuffer: queue', () => {
  it('numbers lines 0, 1, 2, ... in the order they are queued', () => {
    const { buffer } = makeBuffer();
    assert.deepEqual(
      ['a', 'b', 'c'].map((text) => buffer.enqueue(text)),
      [
        { ok: true, seq: 0 },
        { ok: true, seq: 1 },
        { ok: true, seq: 2 },
      ],
    );
  });

  it('refuses a line beyond MAX_SEND_QUEUE unsent lines, and takes more once lines are sent', () => {
    const { buffer } = makeBuffer();
    enqueue(buffer, MAX_SEND_QUEUE);
    assert.deepEqual(buffer.enqueue('one more'), { ok: false, reason: 'queue-full' });
    assert.equal(buffer.queued, MAX_SEND_QUEUE);
    buffer.takeLines(0, FULL);
    assert.equal(buffer.enqueue('one more').ok, true);
  });

  it('refuses a line that could not fit alone in a DATA, counting UTF-8 bytes', () => {
    const { buffer } = makeBuffer();
    assert.equal(maxLineBytes(), 1200 - 39 - 7);
    assert.equal(maxLineBytes(), MAX_LINE_TEXT_BYTES, 'the same limit as the wire codec');
    assert.equal(buffer.enqueue('x'.repeat(maxLineBytes())).ok, true);
    assert.deepEqual(buffer.enqueue('x'.repeat(maxLineBytes() + 1)), { ok: false, reason: 'too-long' });
    const euros = Math.floor(maxLineBytes() / 3); // '€' is 3 bytes in UTF-8, 1 UTF-16 unit
    assert.equal(buffer.enqueue('€'.repeat(euros)).ok, true);
    assert.deepEqual(buffer.enqueue('€'.repeat(euros + 1)), { ok: false, reason: 'too-long' });
  });
});

describe('SendBuffer: window', () => {
  it('sends at most MAX_IN_FLIGHT lines past the lowest unacknowledged one', () => {
    const { buffer } = makeBuffer();
    enqueue(buffer, 100);
    const first = seqs(buffer, 0, 100_000);
    assert.deepEqual(
      first,
      Array.from({ length: MAX_IN_FLIGHT }, (_, i) => i),
    );
    assert.deepEqual([buffer.inFlight, buffer.queued], [MAX_IN_FLIGHT, 100 - MAX_IN_FLIGHT]);
    assert.deepEqual(seqs(buffer, 1, 100_000), []);
  });

  it('selective acks above a missing line do not open the window; the cumulative ack does', () => {
    const { buffer } = makeBuffer();
    enqueue(buffer, 100);
    seqs(buffer, 0, 100_000);
    buffer.onAck(10, ack(0, [1, 2, 3, 4, 5]));
    assert.equal(buffer.inFlight, MAX_IN_FLIGHT - 5);
    assert.deepEqual(
      buffer.takeLines(10, 100_000).filter((frame) => frame.seq >= MAX_IN_FLIGHT),
      [],
    );
    buffer.onAck(20, ack(6));
    assert.deepEqual(seqs(buffer, 20, 100_000), [64, 65, 66, 67, 68, 69]);
  });

  it('packs lines into the byte budget and leaves the rest queued, in order', () => {
    const { buffer } = makeBuffer();
    enqueue(buffer, 3); // 'line 0' = 6 bytes, frame 13
    assert.deepEqual(seqs(buffer, 0, 26), [0, 1]);
    assert.deepEqual(seqs(buffer, 0, 12), []);
    assert.deepEqual(seqs(buffer, 0, 13), [2]);
  });
});

describe('SendBuffer: acknowledgements', () => {
  it('reports each newly acknowledged line once, by cumulative ack and by bitmap', () => {
    const { buffer } = makeBuffer();
    enqueue(buffer, 6);
    seqs(buffer, 0);
    const first = buffer.onAck(30, ack(2, [4]));
    assert.deepEqual(
      first.map((line) => line.seq),
      [0, 1, 4],
    );
    assert.deepEqual(buffer.onAck(31, ack(2, [4])), [], 'a duplicate ack acknowledges nothing new');
    assert.deepEqual(buffer.onAck(32, ack(1)), [], 'a stale ack acknowledges nothing new');
    assert.deepEqual(
      buffer.onAck(33, ack(6)).map((line) => line.seq),
      [2, 3, 5],
    );
    assert.equal(buffer.inFlight, 0);
  });

  it('ignores what an ack claims beyond the lines sent', () => {
    const { buffer } = makeBuffer();
    enqueue(buffer, 4);
    seqs(buffer, 0, 26); // lines 0 and 1 sent, 2 and 3 queued
    assert.deepEqual(
      buffer.onAck(10, ack(4)).map((line) => line.seq),
      [0, 1],
    );
    assert.deepEqual(seqs(buffer, 11), [2, 3], 'queued lines are still sent');
  });

  it('samples the RTT from the highest newly acknowledged line only', () => {
    const { buffer, rtt } = makeBuffer();
    enqueue(buffer, 3);
    seqs(buffer, 0, 13);
    seqs(buffer, 20, 26);
    assert.deepEqual(buffer.onAck(100, ack(3)), [
      { seq: 0, rttMs: null },
      { seq: 1, rttMs: null },
      { seq: 2, rttMs: 80 },
    ]);
    assert.equal(rtt.srttMs, 80);
  });

  it("takes no sample from a retransmitted line (Karn's algorithm)", () => {
    const { buffer, rtt } = makeBuffer();
    enqueue(buffer, 1);
    seqs(buffer, 0);
    buffer.onTimeout(500);
    seqs(buffer, 500);
    assert.deepEqual(buffer.onAck(520, ack(1)), [{ seq: 0, rttMs: null }]);
    assert.equal(rtt.srttMs, null);
  });
});

describe('SendBuffer: retransmission timer', () => {
  it('backs off 500, 1000, 2000, 4000, 8000, 8000, ... and gives up after exactly MAX_RETRANSMISSIONS', () => {
    const { buffer } = makeBuffer();
    enqueue(buffer, 1);
    seqs(buffer, 0);
    const intervals: number[] = [];
    let sentAt = 0;
    for (let deadline = buffer.nextTimeout(); deadline !== null; deadline = buffer.nextTimeout()) {
      intervals.push(deadline - sentAt);
      assert.deepEqual(buffer.onTimeout(deadline - 1), [], 'nothing fires early');
      const failed = buffer.onTimeout(deadline);
      if (failed.length > 0) {
        assert.deepEqual(failed, [0]);
        break;
      }
      assert.deepEqual(seqs(buffer, deadline), [0]);
      sentAt = deadline;
    }
    assert.deepEqual(intervals, [500, 1000, 2000, 4000, 8000, 8000, 8000, 8000, 8000]);
    const stats = buffer.stats;
    assert.equal(stats.retransmissions, MAX_RETRANSMISSIONS);
    assert.equal(stats.gaveUp, 1);
    assert.equal(buffer.inFlight, 0);
  });

  it('a due retransmission waits for room in the budget and has no timer meanwhile', () => {
    const { buffer } = makeBuffer();
    enqueue(buffer, 1);
    seqs(buffer, 0);
    buffer.onTimeout(500);
    assert.equal(buffer.nextTimeout(), null);
    assert.deepEqual(seqs(buffer, 600, 5), []);
    assert.deepEqual(seqs(buffer, 700), [0]);
    assert.equal(buffer.nextTimeout(), 700 + 1000);
  });

  it('backs off from the RTO current at each re-send', () => {
    const { buffer } = makeBuffer();
    enqueue(buffer, 2);
    seqs(buffer, 0, 13); // line 0 at t=0, RTO 500
    seqs(buffer, 10, 13); // line 1 at t=10
    buffer.onAck(30, ack(0, [1])); // sample 20 ms: RTO = 20 + 4·10 = 60, clamped to 100
    buffer.onTimeout(500);
    seqs(buffer, 500);
    assert.equal(buffer.nextTimeout(), 500 + 2 * 100);
  });
});

describe('SendBuffer: fast retransmit', () => {
  it('re-sends a line at once when three lines sent after it are acknowledged', () => {
    const { buffer } = makeBuffer();
    enqueue(buffer, 5);
    seqs(buffer, 0);
    buffer.onAck(40, ack(0, [1, 2]));
    assert.deepEqual(seqs(buffer, 40), [], 'two later acks are not enough');
    buffer.onAck(45, ack(0, [1, 2, 3]));
    assert.deepEqual(seqs(buffer, 45), [0]);
    assert.equal(buffer.stats.fastRetransmissions, 1);
    assert.equal(buffer.stats.retransmissions, 1);
  });

  it('judges a re-sent line only by lines sent after the re-send', () => {
    const { buffer } = makeBuffer();
    enqueue(buffer, 4);
    seqs(buffer, 0, 13); // line 0 at t=0
    seqs(buffer, 10); // lines 1-3 at t=10
    buffer.onTimeout(500);
    assert.deepEqual(seqs(buffer, 500), [0], 're-sent by its timer');
    buffer.onAck(505, ack(0, [1, 2, 3])); // acks of copies sent before the re-send
    assert.deepEqual(seqs(buffer, 505), []);
    assert.equal(buffer.stats.fastRetransmissions, 0);
  });

  it('fast-retransmits one line at most once per RTO', () => {
    const { buffer, rtt } = makeBuffer();
    enqueue(buffer, 4);
    seqs(buffer, 0); // lines 0-3
    buffer.onAck(50, ack(0, [1, 2, 3])); // sample 50 ms: RTO = 50 + 4·25 = 150
    assert.equal(rtt.rtoMs, 150);
    assert.deepEqual(seqs(buffer, 50), [0]);
    enqueue(buffer, 3);
    assert.deepEqual(seqs(buffer, 60), [4, 5, 6], 'sent after the re-send');
    buffer.onAck(100, ack(0, [1, 2, 3, 4, 5, 6]));
    assert.deepEqual(seqs(buffer, 100), [], 'only 50 ms after the last fast retransmission');
    enqueue(buffer, 3);
    assert.deepEqual(seqs(buffer, 190), [7, 8, 9]);
    buffer.onAck(200, ack(0, [1, 2, 3, 4, 5, 6, 7, 8, 9]));
    assert.deepEqual(seqs(buffer, 200), [0], 'an RTO later it may again');
    assert.equal(buffer.stats.fastRetransmissions, 2);
  });

  it('does not fast-retransmit a line out of retransmissions: its timer gives it up', () => {
    const { buffer } = makeBuffer({ maxRetransmissions: 0 });
    enqueue(buffer, 4);
    seqs(buffer, 0);
    buffer.onAck(40, ack(0, [1, 2, 3]));
    assert.deepEqual(seqs(buffer, 40), []);
    assert.deepEqual(buffer.onTimeout(500), [0]);
  });
});
