import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_DATAGRAM_BYTES, MAX_RELAYED_LINE_BYTES } from '../../../src/protocol/limits.ts';
import {
  dataCapacity,
  dataSize,
  type Frame,
  frameSize,
  MAX_LINE_TEXT_BYTES,
  openData,
  PACKET_TYPE_CODES,
  sealData,
} from '../../../src/protocol/v2/wire.ts';
import { C2R, dataBody, SESSION, tagged } from './wire-samples.ts';

const DATA = PACKET_TYPE_CODES.data;

function sealFrames(frames: readonly Frame[]): Uint8Array {
  return sealData({ sessionId: SESSION, packetNumber: 0, ack: { next: 0, bitmap: 0 }, frames }, C2R);
}

function openBody(frameBytes: readonly number[]): ReturnType<typeof openData> {
  return openData(tagged(DATA, dataBody(frameBytes), C2R), C2R);
}

describe('packing frames into 1,200 bytes (RFC 8085 §3.2)', () => {
  it('sizes each frame as it is written: LINE 7 + UTF-8 bytes, SKIP 5, PING 1', () => {
    assert.equal(frameSize({ type: 'line', seq: 0, text: 'héllo 👋' }), 7 + 11);
    assert.equal(frameSize({ type: 'skip', seq: 9 }), 5);
    assert.equal(frameSize({ type: 'ping' }), 1);
    const frames: Frame[] = [{ type: 'line', seq: 0, text: 'héllo 👋' }, { type: 'ping' }];
    assert.equal(sealFrames(frames).byteLength, dataSize(frames));
  });

  it('the longest line that fits alone makes a datagram of exactly 1,200 bytes', () => {
    const frames: Frame[] = [{ type: 'line', seq: 1, text: 'x'.repeat(MAX_LINE_TEXT_BYTES) }];
    assert.equal(dataCapacity(frames), 0);
    assert.equal(sealFrames(frames).byteLength, MAX_DATAGRAM_BYTES);
    const tooLong: Frame[] = [{ type: 'line', seq: 1, text: 'x'.repeat(MAX_LINE_TEXT_BYTES + 1) }];
    assert.equal(dataCapacity(tooLong), -1);
    assert.throws(() => sealFrames(tooLong), RangeError);
  });

  it('the relay’s bound on a relayed line (v1 and v2 alike) is exactly what one LINE frame holds', () => {
    assert.equal(MAX_RELAYED_LINE_BYTES, MAX_LINE_TEXT_BYTES);
    assert.equal(MAX_RELAYED_LINE_BYTES, 1154);
  });

  it('a packer that adds frames while frameSize <= dataCapacity never exceeds 1,200 bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 300 }), { maxLength: 40 }), (texts) => {
        const packed: Frame[] = [];
        texts.forEach((text, seq) => {
          const frame: Frame = { type: 'line', seq, text: text.replaceAll('\n', ' ') };
          if (frameSize(frame) <= dataCapacity(packed)) packed.push(frame);
        });
        const bytes = sealFrames(packed);
        assert.ok(bytes.byteLength <= MAX_DATAGRAM_BYTES);
        assert.equal(bytes.byteLength, dataSize(packed));
      }),
    );
  });

  it('a line with "\\n" is refused before it is sealed', () => {
    assert.throws(() => sealFrames([{ type: 'line', seq: 0, text: 'a\nb' }]), RangeError);
  });
});

describe('decoding frames (behind a valid tag)', () => {
  it('a DATA with no frames is a pure acknowledgement', () => {
    const result = openBody([]);
    assert.ok(result.ok);
    assert.deepEqual(result.packet.frames, []);
  });

  it('reads LINE, SKIP and PING in order', () => {
    const result = openBody([1, 0, 0, 0, 4, 0, 2, 0x68, 0x69, 2, 0, 0, 0, 3, 3]);
    assert.ok(result.ok);
    assert.deepEqual(result.packet.frames, [
      { type: 'line', seq: 4, text: 'hi' },
      { type: 'skip', seq: 3 },
      { type: 'ping' },
    ]);
  });

  it('an unknown frame type makes the whole datagram malformed', () => {
    assert.deepEqual(openBody([3, 0x04]), { ok: false, reason: 'frame' });
    assert.deepEqual(openBody([0x00]), { ok: false, reason: 'frame' });
  });

  it('a frame cut short is malformed', () => {
    assert.deepEqual(openBody([2, 0, 0, 0]), { ok: false, reason: 'frame' });
    assert.deepEqual(openBody([1, 0, 0, 0, 4, 0]), { ok: false, reason: 'frame' });
  });

  it('a LINE whose length runs past the datagram is malformed', () => {
    assert.deepEqual(openBody([1, 0, 0, 0, 4, 0, 3, 0x68, 0x69]), { ok: false, reason: 'length' });
  });

  it('invalid UTF-8 in a LINE makes the whole datagram malformed (fatal decoding)', () => {
    assert.deepEqual(openBody([1, 0, 0, 0, 4, 0, 2, 0xc3, 0x28]), { ok: false, reason: 'utf8' });
    assert.deepEqual(openBody([1, 0, 0, 0, 4, 0, 3, 0xed, 0xa0, 0x80]), { ok: false, reason: 'utf8' });
    assert.deepEqual(openBody([1, 0, 0, 0, 4, 0, 1, 0xff, 3]), { ok: false, reason: 'utf8' });
  });

  it('a LINE containing "\\n" is malformed: a frame is exactly one line', () => {
    assert.deepEqual(openBody([1, 0, 0, 0, 4, 0, 3, 0x61, 0x0a, 0x62]), { ok: false, reason: 'newline' });
  });

  it('a leading byte-order mark is kept as text', () => {
    const result = openData(sealFrames([{ type: 'line', seq: 0, text: '\uFEFFhi' }]), C2R);
    assert.ok(result.ok);
    assert.deepEqual(result.packet.frames, [{ type: 'line', seq: 0, text: '\uFEFFhi' }]);
  });
});

const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
/** fast-check v4 records have a null prototype by default; decoded packets are plain objects. */
const plain = { noNullPrototype: true } as const;
const frameArbitrary: fc.Arbitrary<Frame> = fc.oneof(
  fc.record(
    {
      type: fc.constant('line' as const),
      seq: u32,
      text: fc.string({ unit: 'binary', maxLength: 200 }).map((text) => text.replaceAll('\n', '')),
    },
    plain,
  ),
  fc.record({ type: fc.constant('skip' as const), seq: u32 }, plain),
  fc.constant<Frame>({ type: 'ping' }),
);

describe('round trips of random frames and texts', () => {
  it('every DATA that fits opens to exactly what was sealed', () => {
    const fields = fc.record(
      {
        sessionId: fc.uint8Array({ minLength: 8, maxLength: 8 }),
        packetNumber: u32,
        ack: fc.record({ next: u32, bitmap: u32 }, plain),
        frames: fc.array(frameArbitrary, { maxLength: 12 }).filter((frames) => dataCapacity(frames) >= 0),
      },
      plain,
    );
    fc.assert(
      fc.property(fields, (packet) => {
        const bytes = sealData(packet, C2R);
        assert.equal(bytes.byteLength, dataSize(packet.frames));
        assert.deepEqual(openData(bytes, C2R), { ok: true, packet: { type: 'data', ...packet } });
      }),
      { numRuns: 300 },
    );
  });
});
