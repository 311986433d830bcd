import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Frame } from '../../../src/protocol/v2/frames.ts';
import {
  decodeClosePayload,
  decodeDataPayload,
  decodeProbePayload,
  encodeClosePayload,
  encodeDataPayload,
  encodeProbePayload,
} from '../../../src/protocol/v2/protected-bodies.ts';
import { MAX_CLIENT_LINES_PER_DATA } from '../../../src/protocol/v2/protected-limits.ts';
import { isAcknowledged } from '../../../src/session/reliable/ack-bitmap.ts';
import { filled } from './deterministic-random.ts';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('the payloads of protected datagrams', () => {
  it('DATA: ack next, the bitmap (bit 0, the least significant, is line next + 1), then frames', () => {
    const ack = { next: 5, bitmap: 0b101 };
    const payload = encodeDataPayload(ack, [{ type: 'ping' }, { type: 'line', seq: 5, text: 'hi' }]);
    assert.equal(hex(payload), `00000005` + `00000005` + `03` + `01` + `00000005` + `0002` + `6869`);
    assert.equal(isAcknowledged(6, ack), true);
    assert.equal(isAcknowledged(7, ack), false);
    assert.equal(isAcknowledged(8, ack), true);
    assert.deepEqual(decodeDataPayload(payload), {
      ok: true,
      ack,
      frames: [{ type: 'ping' }, { type: 'line', seq: 5, text: 'hi' }],
      lineCount: 1,
    });
  });

  it('DATA counts its LINE frames, so a relay can hold a client to v1’s 8 lines a datagram', () => {
    const lines: Frame[] = Array.from({ length: MAX_CLIENT_LINES_PER_DATA + 1 }, (_, seq) => ({
      type: 'line',
      seq,
      text: 'x',
    }));
    const decoded = decodeDataPayload(
      encodeDataPayload({ next: 0, bitmap: 0 }, [{ type: 'skip', seq: 0 }, ...lines]),
    );
    assert.ok(decoded.ok);
    assert.equal(decoded.lineCount, 9);
  });

  it('DATA refuses a payload shorter than its ack fields or with a bad frame', () => {
    assert.deepEqual(decodeDataPayload(new Uint8Array(7)), { ok: false, reason: 'short' });
    assert.deepEqual(decodeDataPayload(new Uint8Array([...filled(8, 0), 0x09])), {
      ok: false,
      reason: 'frame',
    });
    const badUtf8 = new Uint8Array([...filled(8, 0), 0x01, 0, 0, 0, 0, 0, 1, 0xff]);
    assert.deepEqual(decodeDataPayload(badUtf8), { ok: false, reason: 'utf8' });
  });

  it('DATA refuses, when sealing, frames that do not fit one datagram', () => {
    const text = 'x'.repeat(1154);
    assert.equal(
      encodeDataPayload({ next: 0, bitmap: 0 }, [{ type: 'line', seq: 0, text }]).byteLength,
      1169,
    );
    assert.throws(() =>
      encodeDataPayload({ next: 0, bitmap: 0 }, [{ type: 'line', seq: 0, text: `${text}x` }]),
    );
  });

  it('CLOSE is one reason byte; CHALLENGE and RESPONSE are eight challenge bytes', () => {
    assert.deepEqual(decodeClosePayload(encodeClosePayload(4)), { ok: true, reason: 4 });
    assert.deepEqual(decodeClosePayload(new Uint8Array(0)), { ok: false, reason: 'short' });
    assert.deepEqual(decodeClosePayload(new Uint8Array(2)), { ok: false, reason: 'length' });
    const challenge = filled(8, 0x77);
    assert.deepEqual(decodeProbePayload(encodeProbePayload(challenge)), { ok: true, challenge });
    assert.deepEqual(decodeProbePayload(new Uint8Array(9)), { ok: false, reason: 'length' });
    assert.throws(() => encodeProbePayload(filled(7, 0)), RangeError);
    assert.throws(() => encodeClosePayload(256), RangeError);
  });
});
