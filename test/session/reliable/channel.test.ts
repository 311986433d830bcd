import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AckInfo, Frame } from '../../../src/protocol/v2/frames.ts';
import { ACK_DELAY_MS, INITIAL_RTO_MS } from '../../../src/protocol/v2/limits.ts';
import { ReliableChannel } from '../../../src/session/reliable/channel.ts';
import { maxLineBytes, resolveReliableOptions } from '../../../src/session/reliable/options.ts';

const NOTHING: AckInfo = { next: 0, bitmap: 0 };

function lineFrame(seq: number, text = `L${seq}`): Frame {
  return { type: 'line', seq, text };
}

describe('ReliableChannel: sending', () => {
  it('sends a queued line in the next DATA, with the current ack, and then has nothing more', () => {
    const channel = new ReliableChannel();
    assert.equal(channel.poll(0), null);
    assert.deepEqual(channel.send('hello'), { ok: true, seq: 0 });
    assert.deepEqual(channel.poll(0), { frames: [lineFrame(0, 'hello')], ack: NOTHING });
    assert.equal(channel.poll(0), null);
    assert.deepEqual([channel.inFlight, channel.queued], [1, 0]);
    assert.equal(channel.nextTimeout(), INITIAL_RTO_MS);
  });

  it('refuses a line too long for one DATA', () => {
    const channel = new ReliableChannel();
    assert.deepEqual(channel.send('x'.repeat(maxLineBytes() + 1)), { ok: false, reason: 'too-long' });
    assert.equal(channel.send('x'.repeat(maxLineBytes())).ok, true);
  });

  it('refuses beyond the send queue', () => {
    const channel = new ReliableChannel({ maxSendQueue: 2 });
    channel.send('a');
    channel.send('b');
    assert.deepEqual(channel.send('c'), { ok: false, reason: 'queue-full' });
  });

  it('reports acknowledged lines with the RTT sample, and the smoothed RTT', () => {
    const channel = new ReliableChannel();
    channel.send('a');
    channel.poll(0);
    const events = channel.receive(42, { next: 1, bitmap: 0 }, []);
    assert.deepEqual(events, { delivered: [], acked: [{ seq: 0, rttMs: 42 }], failed: [] });
    assert.equal(channel.rttMs, 42);
    assert.equal(channel.nextTimeout(), null);
  });

  it('retransmits on its timer; onTimeout with nothing expired is a no-op', () => {
    const channel = new ReliableChannel();
    channel.send('a');
    channel.poll(0);
    assert.deepEqual(channel.onTimeout(499), { delivered: [], acked: [], failed: [] });
    assert.equal(channel.poll(499), null);
    channel.onTimeout(500);
    assert.deepEqual(channel.poll(500)?.frames, [lineFrame(0, 'a')]);
    assert.equal(channel.nextTimeout(), 1500);
    assert.equal(channel.stats.retransmissions, 1);
  });

  it('does not pack more than the byte budget, and a line that does not fit waits', () => {
    const channel = new ReliableChannel();
    channel.send('abc'); // frame 10 bytes
    channel.send('def');
    assert.equal(channel.poll(0, 9), null);
    assert.deepEqual(channel.poll(0, 19)?.frames, [lineFrame(0, 'abc')]);
    assert.deepEqual(channel.poll(0, 10)?.frames, [lineFrame(1, 'def')]);
  });
});

describe('ReliableChannel: receiving and acknowledging', () => {
  it('delivers lines in order and acks a lone in-order line after the ack delay', () => {
    const channel = new ReliableChannel();
    const events = channel.receive(100, NOTHING, [lineFrame(0)]);
    assert.deepEqual(events.delivered, [{ type: 'line', seq: 0, text: 'L0' }]);
    assert.equal(channel.poll(100), null, 'the ack may wait for a reply to ride on');
    assert.equal(channel.nextTimeout(), 100 + ACK_DELAY_MS);
    assert.equal(channel.poll(100 + ACK_DELAY_MS - 1), null);
    assert.deepEqual(channel.poll(100 + ACK_DELAY_MS), { frames: [], ack: { next: 1, bitmap: 0 } });
    assert.equal(channel.stats.ackOnlySent, 1);
    assert.equal(channel.nextTimeout(), null);
  });

  it('lets the ack ride on a line going out instead of a separate DATA', () => {
    const channel = new ReliableChannel();
    channel.receive(0, NOTHING, [lineFrame(0)]);
    channel.send('reply');
    assert.deepEqual(channel.poll(5), { frames: [lineFrame(0, 'reply')], ack: { next: 1, bitmap: 0 } });
    assert.equal(channel.poll(ACK_DELAY_MS), null, 'the ack was already sent');
  });

  it('acks at once when two lines are unacknowledged', () => {
    const channel = new ReliableChannel();
    channel.receive(0, NOTHING, [lineFrame(0)]);
    channel.receive(1, NOTHING, [lineFrame(1)]);
    assert.deepEqual(channel.poll(1), { frames: [], ack: { next: 2, bitmap: 0 } });
  });

  it('acks at once, with the bitmap, when a line arrives out of order', () => {
    const channel = new ReliableChannel();
    const events = channel.receive(0, NOTHING, [lineFrame(1)]);
    assert.deepEqual(events.delivered, []);
    assert.deepEqual(channel.poll(0), { frames: [], ack: { next: 0, bitmap: 1 } });
  });

  it('acks a duplicate at once (the sender has missed our ack)', () => {
    const channel = new ReliableChannel();
    channel.receive(0, NOTHING, [lineFrame(0)]);
    channel.poll(ACK_DELAY_MS);
    channel.receive(600, NOTHING, [lineFrame(0)]);
    assert.deepEqual(channel.poll(600), { frames: [], ack: { next: 1, bitmap: 0 } });
    assert.equal(channel.stats.duplicatesDropped, 1);
  });

  it('acks a PING at once', () => {
    const channel = new ReliableChannel();
    channel.receive(0, NOTHING, [{ type: 'ping' }]);
    assert.deepEqual(channel.poll(0), { frames: [], ack: NOTHING });
  });

  it('never acks a DATA that carries only an ack', () => {
    const channel = new ReliableChannel();
    channel.receive(0, { next: 0, bitmap: 0 }, []);
    assert.equal(channel.poll(0), null);
    assert.equal(channel.nextTimeout(), null);
  });
});

describe('ReliableChannel: keep-alive and SKIP', () => {
  it('keepalive queues one PING, which goes out even with nothing else to send', () => {
    const channel = new ReliableChannel();
    channel.keepalive();
    assert.deepEqual(channel.poll(10_000), { frames: [{ type: 'ping' }], ack: NOTHING });
    assert.equal(channel.poll(10_000), null);
    assert.equal(channel.stats.pingsSent, 1);
  });

  it('reports a line given up, sends SKIP at once, and repeats it in every DATA until acked past', () => {
    const channel = new ReliableChannel({ maxRetransmissions: 0 });
    channel.send('doomed');
    channel.poll(0);
    assert.deepEqual(channel.onTimeout(500).failed, [0]);
    assert.deepEqual(channel.poll(500), { frames: [{ type: 'skip', seq: 1 }], ack: NOTHING });
    assert.equal(channel.poll(500), null, 'no SKIP-only DATA until its timer');
    channel.send('next');
    channel.keepalive();
    assert.deepEqual(channel.poll(510)?.frames, [
      { type: 'skip', seq: 1 },
      { type: 'ping' },
      lineFrame(1, 'next'),
    ]);
    channel.receive(530, { next: 2, bitmap: 0 }, []);
    channel.send('later');
    assert.deepEqual(channel.poll(540)?.frames, [lineFrame(2, 'later')]);
    assert.equal(channel.stats.gaveUp, 1);
  });

  it('a line as large as a DATA allows never starves behind a SKIP or a PING', () => {
    const channel = new ReliableChannel({ maxRetransmissions: 0 });
    channel.send('doomed');
    channel.poll(0);
    channel.onTimeout(500);
    const biggest = 'x'.repeat(maxLineBytes());
    channel.send(biggest);
    channel.keepalive();
    assert.deepEqual(channel.poll(500)?.frames, [{ type: 'skip', seq: 1 }, { type: 'ping' }]);
    assert.deepEqual(channel.poll(500)?.frames, [lineFrame(1, biggest)], 'no room left for the SKIP');
    channel.send('small');
    assert.deepEqual(channel.poll(510)?.frames, [{ type: 'skip', seq: 1 }, lineFrame(2, 'small')]);
  });

  it('the receiver turns SKIP into a gap in place and acks past it', () => {
    const channel = new ReliableChannel();
    const events = channel.receive(0, NOTHING, [{ type: 'skip', seq: 3 }, lineFrame(3)]);
    assert.deepEqual(events.delivered, [
      { type: 'gap', seq: 0, count: 3 },
      { type: 'line', seq: 3, text: 'L3' },
    ]);
    assert.deepEqual(channel.poll(0), { frames: [], ack: { next: 4, bitmap: 0 } });
  });

  it('a stale SKIP is acked at once', () => {
    const channel = new ReliableChannel();
    channel.receive(0, NOTHING, [{ type: 'skip', seq: 3 }]);
    channel.poll(ACK_DELAY_MS);
    channel.receive(100, NOTHING, [{ type: 'skip', seq: 3 }]);
    assert.deepEqual(channel.poll(100), { frames: [], ack: { next: 3, bitmap: 0 } });
  });

  it('the next timeout is the earliest of the RTO and the ack delay', () => {
    const channel = new ReliableChannel();
    channel.send('a');
    channel.poll(0);
    channel.receive(100, NOTHING, [lineFrame(0)]);
    assert.equal(channel.nextTimeout(), 100 + ACK_DELAY_MS);
    channel.poll(100 + ACK_DELAY_MS);
    assert.equal(channel.nextTimeout(), INITIAL_RTO_MS);
    channel.receive(490, NOTHING, [lineFrame(1)]);
    assert.equal(channel.nextTimeout(), INITIAL_RTO_MS, 'the RTO comes before 490 + 25');
  });
});

describe('ReliableChannel: two channels wired back to back', () => {
  it('a line and its reply, each acknowledged by the other', () => {
    const a = new ReliableChannel();
    const b = new ReliableChannel();
    a.send('/join alice');
    const hello = a.poll(0);
    assert.ok(hello !== null);
    assert.deepEqual(b.receive(10, hello.ack, hello.frames).delivered, [
      { type: 'line', seq: 0, text: '/join alice' },
    ]);
    b.send('*** welcome, alice ***');
    const welcome = b.poll(12);
    assert.ok(welcome !== null);
    assert.deepEqual(welcome.ack, { next: 1, bitmap: 0 });
    const events = a.receive(22, welcome.ack, welcome.frames);
    assert.deepEqual(events.acked, [{ seq: 0, rttMs: 22 }]);
    assert.deepEqual(events.delivered, [{ type: 'line', seq: 0, text: '*** welcome, alice ***' }]);
  });
});

describe('options', () => {
  it('defaults come from the v2 limits', () => {
    const options = resolveReliableOptions();
    assert.deepEqual(
      [options.ackDelayMs, options.initialRtoMs, options.maxInFlight, options.maxFrameBytes],
      [25, 500, 64, 1161],
    );
  });

  it('refuses settings the channel cannot work with', () => {
    for (const bad of [
      { maxInFlight: 0 },
      { maxSendQueue: 1.5 },
      { maxRetransmissions: -1 },
      { minRtoMs: 0 },
      { initialRtoMs: 50 },
      { maxRtoMs: 400 },
      { ackDelayMs: Number.NaN },
      { maxFrameBytes: 7 },
    ]) {
      assert.throws(() => new ReliableChannel(bad), RangeError, JSON.stringify(bad));
    }
  });
});
