import assert from 'node:assert/strict';
import { hkdfSync } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { hkdfExpand, hkdfExtract } from '../../../src/protocol/v2/hkdf.ts';

const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('HKDF-SHA256 in two steps (RFC 5869)', () => {
  it('matches RFC 5869 A.1 (test case 1)', () => {
    const prk = hkdfExtract(fromHex('000102030405060708090a0b0c'), new Uint8Array(22).fill(0x0b));
    assert.equal(toHex(prk), '077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5');
    assert.equal(
      toHex(hkdfExpand(prk, fromHex('f0f1f2f3f4f5f6f7f8f9'), 42)),
      '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    );
  });

  it('matches RFC 5869 A.3 (test case 3: empty salt and info)', () => {
    const prk = hkdfExtract(new Uint8Array(0), new Uint8Array(22).fill(0x0b));
    assert.equal(toHex(prk), '19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04');
    assert.equal(
      toHex(hkdfExpand(prk, '', 42)),
      '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    );
  });

  it('equals node:crypto hkdfSync for any inputs', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.string({ maxLength: 40 }),
        fc.integer({ min: 1, max: 100 }),
        (salt, ikm, info, length) => {
          const expected = new Uint8Array(hkdfSync('sha256', ikm, salt, info, length));
          assert.deepEqual(hkdfExpand(hkdfExtract(salt, ikm), info, length), expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses an output length outside 1 to 8,160 bytes', () => {
    const prk = new Uint8Array(32);
    for (const length of [0, -1, 8161, 1.5]) assert.throws(() => hkdfExpand(prk, 'x', length), RangeError);
  });
});
