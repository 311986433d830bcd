/** Properties of the LAN wire format: decoding never throws, and every encodable datagram round-trips. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { codePointLength } from '../../../src/protocol/codec.ts';
import type { LanDatagram, LanKind } from '../../../src/protocol/lan/datagram.ts';
import type { GroupKey } from '../../../src/protocol/lan/group-key.ts';
import { checkLanNick } from '../../../src/protocol/lan/lan-nick.ts';
import { MAX_LAN_DATAGRAM_BYTES } from '../../../src/protocol/lan/limits.ts';
import { decodeLanDatagram, encodeLanDatagram } from '../../../src/protocol/lan/wire.ts';
import { KEY, OTHER_KEY, sample } from './lan-samples.ts';

const KEYS: (GroupKey | null)[] = [null, KEY, OTHER_KEY];

/** Every decoder answer is a value of the documented shape, whatever the bytes and whichever key. */
function decodesQuietly(bytes: Uint8Array): void {
  for (const key of KEYS) {
    const result = decodeLanDatagram(bytes, key);
    assert.equal(typeof result.ok, 'boolean');
    if (!result.ok) assert.equal(typeof result.error, 'string');
  }
}

const nick = fc
  .oneof(
    fc.constantFrom('bob', 'alice', 'Ωmega', 'ｂｏｂ', '名前', '🦊fox', 'x'.repeat(32), '𝔞'.repeat(32)),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
  )
  .filter((candidate) => checkLanNick(candidate).ok);

const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 1024 });

const kind: fc.Arbitrary<LanKind> = fc.constantFrom('line', 'action', 'announce', 'leave');

const datagram: fc.Arbitrary<LanDatagram> = fc
  .record({
    senderId: fc.uint8Array({ minLength: 8, maxLength: 8 }),
    sequence: fc.nat({ max: 0xffff_ffff }),
    kind,
    claimedAt: fc.maxSafeNat(),
    lineNumber: fc.nat({ max: 0xffff_ffff }),
    nick,
    text,
  })
  // A plain object (fast-check's records have no prototype), with no text where the kind carries none.
  .map((fields) => ({
    ...fields,
    text: fields.kind === 'line' || fields.kind === 'action' ? fields.text : '',
  }));

describe('LAN decoding never throws', () => {
  it('on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 1300 }), decodesQuietly), { numRuns: 2000 });
  });

  it('on arbitrary bytes behind a valid header, sealed or not', () => {
    const bytes = fc
      .tuple(
        fc.constantFrom(0, 1),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        fc.uint8Array({ maxLength: 1185 }),
      )
      .map(([flags, idAndSequence, rest]) => new Uint8Array([0xfe, 0x01, flags, ...idAndSequence, ...rest]));
    fc.assert(fc.property(bytes, decodesQuietly), { numRuns: 2000 });
  });

  it('on valid datagrams with a few bytes overwritten', () => {
    const samples = [
      sample(),
      sample({ kind: 'action', text: 'waves at everyone' }),
      sample({ kind: 'announce', text: '' }),
      sample({ kind: 'leave', text: '' }),
    ].flatMap((fields) => [null, KEY].map((key) => encodeLanDatagram(fields, key)));
    const valid = samples.flatMap((result) => (result.ok ? [result.bytes] : []));
    const mutation = fc.tuple(
      fc.constantFrom(...valid),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
      fc.nat(),
    );
    fc.assert(
      fc.property(mutation, ([original, edits, cut]) => {
        const bytes = Uint8Array.from(original);
        for (const [at, value] of edits) bytes[at % bytes.byteLength] = value;
        decodesQuietly(bytes);
        decodesQuietly(bytes.subarray(0, cut % (bytes.byteLength + 1)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('LAN encoding round-trips', () => {
  it('decodes every datagram it encodes to the same fields, in clear and sealed', () => {
    fc.assert(
      fc.property(datagram, fc.constantFrom(null, KEY), (fields, key) => {
        const encoded = encodeLanDatagram(fields, key);
        if (!encoded.ok) {
          // The only refusal of well-formed fields is size: 1,024 characters can take 4,096 bytes.
          assert.equal(encoded.error, 'too-large');
          return;
        }
        assert.ok(encoded.bytes.byteLength <= MAX_LAN_DATAGRAM_BYTES);
        const decoded = decodeLanDatagram(encoded.bytes, key);
        assert.ok(decoded.ok, decoded.ok ? '' : decoded.error);
        assert.deepEqual(decoded.datagram, fields);
        assert.equal(decoded.sealed, key !== null);
        const check = checkLanNick(fields.nick);
        assert.equal(decoded.nickKey, check.ok ? check.key : null);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses for size only when the datagram would really pass 1,200 bytes', () => {
    const longText = fc.string({ unit: 'binary', minLength: 200, maxLength: 1024 });
    fc.assert(
      fc.property(longText, (line) => {
        const encoded = encodeLanDatagram(sample({ text: line }), KEY);
        const size = 15 + 14 + 3 + Buffer.byteLength(line) + 16;
        assert.equal(encoded.ok, size <= MAX_LAN_DATAGRAM_BYTES);
        assert.ok(codePointLength(line) <= 1024);
      }),
      { numRuns: 500 },
    );
  });

  it('never opens a sealed datagram with one bit flipped anywhere', () => {
    const sealed = encodeLanDatagram(sample({ text: 'the quick brown fox' }), KEY);
    assert.ok(sealed.ok);
    fc.assert(
      fc.property(fc.nat({ max: sealed.bytes.byteLength * 8 - 1 }), (bit) => {
        const bytes = Uint8Array.from(sealed.bytes);
        bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        assert.equal(decodeLanDatagram(bytes, KEY).ok, false);
      }),
      { numRuns: 500 },
    );
  });
});
