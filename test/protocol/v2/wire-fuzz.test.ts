import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type Decoded,
  decodeHello,
  decodeReject,
  decodeRetry,
  isV2,
  openAccept,
  openChallenge,
  openClose,
  openData,
  openResponse,
  type Packet,
  peek,
  unsupportedVersionEcho,
} from '../../../src/protocol/v2/wire.ts';
import { C2R, RESET_MASK, tagged, taggedSamples, untaggedSamples } from './wire-samples.ts';

type Opener = (bytes: Uint8Array) => Decoded<Packet> | { ok: boolean };

const openers: Opener[] = [
  peek,
  decodeHello,
  decodeRetry,
  decodeReject,
  (bytes) => openAccept(bytes, { relayToClient: C2R, resetMask: RESET_MASK }),
  (bytes) => openData(bytes, C2R),
  (bytes) => openClose(bytes, C2R),
  (bytes) => openChallenge(bytes, C2R),
  (bytes) => openResponse(bytes, C2R),
];

/** Every decoder answers a result value with a known shape, whatever the bytes. */
function decodesQuietly(bytes: Uint8Array): void {
  isV2(bytes);
  unsupportedVersionEcho(bytes);
  for (const open of openers) {
    const result = open(bytes);
    assert.equal(typeof result.ok, 'boolean');
  }
}

describe('decoding never throws', () => {
  it('on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 1300 }), decodesQuietly), { numRuns: 2000 });
  });

  it('on arbitrary bytes behind a valid v2 header', () => {
    const datagram = fc
      .tuple(fc.integer({ min: 0, max: 10 }), fc.uint8Array({ maxLength: 1250 }))
      .map(([type, body]) => new Uint8Array([0xff, 0x02, type, ...body]));
    fc.assert(fc.property(datagram, decodesQuietly), { numRuns: 2000 });
  });

  it('on arbitrary bodies behind a valid tag, so the frame decoder itself is fuzzed', () => {
    const body = fc.uint8Array({ minLength: 20, maxLength: 1180 });
    fc.assert(
      fc.property(body, (bytes) => {
        const result = openData(tagged(0x04, bytes, C2R), C2R);
        assert.equal(typeof result.ok, 'boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it('on valid datagrams with random bytes overwritten', () => {
    const samples = [...taggedSamples(), ...untaggedSamples()].map((sample) => sample.bytes);
    const mutation = fc.tuple(
      fc.constantFrom(...samples),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
    );
    fc.assert(
      fc.property(mutation, ([sample, edits]) => {
        const bytes = Uint8Array.from(sample);
        for (const [at, value] of edits) bytes[at % bytes.byteLength] = value;
        decodesQuietly(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('on frame bodies built from plausible frame pieces behind a valid tag', () => {
    const piece = fc.oneof(
      fc.constant([3]),
      fc.tuple(fc.constant(2), fc.uint8Array({ maxLength: 4 })).map(([code, rest]) => [code, ...rest]),
      fc
        .tuple(
          fc.uint8Array({ minLength: 4, maxLength: 4 }),
          fc.integer({ min: 0, max: 40 }),
          fc.uint8Array({ maxLength: 40 }),
        )
        .map(([seq, length, text]) => [1, ...seq, 0, length, ...text]),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), (pieces) => {
        const body = new Uint8Array([...new Uint8Array(20), ...pieces.flat()]);
        const result = openData(tagged(0x04, body, C2R), C2R);
        assert.equal(typeof result.ok, 'boolean');
      }),
      { numRuns: 2000 },
    );
  });
});
